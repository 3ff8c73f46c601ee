import { describe, expect, it } from 'vitest';
import { parseStartOptions } from './start-options.js';

describe('parseStartOptions', () => {
  it('persists under .local/ on port 3000 by default', () => {
    expect(parseStartOptions([], {})).toEqual({ inMemory: false, port: 3000, dataDir: '.local/', help: false });
  });

  it('takes the port from PORT when no flag gives one, and the flag over PORT', () => {
    expect(parseStartOptions([], { PORT: '8080' }).port).toBe(8080);
    expect(parseStartOptions(['--port', '9000'], { PORT: '8080' }).port).toBe(9000);
    expect(parseStartOptions(['--port=9001'], {}).port).toBe(9001);
  });

  it('reads --in-memory, --data-dir and --help', () => {
    expect(parseStartOptions(['--in-memory', '--data-dir', '/tmp/udagram', '-h'], {})).toEqual({
      inMemory: true,
      port: 3000,
      dataDir: '/tmp/udagram',
      help: true,
    });
  });

  it.each([['0'], ['65536'], ['3000x'], ['-1'], ['']])('refuses the port "%s"', (port) => {
    expect(() => parseStartOptions([`--port=${port}`], {})).toThrow(/The port must be a number from 1 to 65535/);
  });

  it('refuses a PORT that is not a port', () => {
    expect(() => parseStartOptions([], { PORT: 'http' })).toThrow(
      'The port must be a number from 1 to 65535, not "http"',
    );
  });

  it('refuses unknown flags, positional arguments and an empty data directory', () => {
    expect(() => parseStartOptions(['--inmemory'], {})).toThrow(/Unknown option '--inmemory'/);
    expect(() => parseStartOptions(['now'], {})).toThrow(/Unexpected argument 'now'/);
    expect(() => parseStartOptions(['--data-dir', ' '], {})).toThrow('The data directory must not be empty');
  });
});
