import { closeLogFiles } from '@app/observability';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localLogDirectory, LocalLogFiles } from './local-log-files.js';

describe('LocalLogFiles', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'udagram-local-logs-'));
  });
  afterEach(async () => {
    closeLogFiles();
    await rm(root, { recursive: true, force: true });
  });

  it('lives in .local/logs of the checkout unless UDAGRAM_LOG_DIR names another directory', () => {
    expect(localLogDirectory('/repo', {})).toBe('/repo/.local/logs');
    expect(localLogDirectory('/repo', { UDAGRAM_LOG_DIR: '/tmp/run-logs' })).toBe('/tmp/run-logs');
  });

  it('time-stamps text lines, keeps JSON lines as printed, and starts afresh when cleared', async () => {
    const directory = join(root, 'logs');
    const logs = new LocalLogFiles(directory);
    logs.textWriter('lambda-emulator')('[udagram-classifier] REPORT RequestId: r1 Duration: 12.00 ms');
    const classifier = logs.outputWriter('classifier');
    classifier('{"level":"INFO","message":"ok"}');
    classifier('terminate called after throwing an instance of std::bad_alloc');

    expect(await readFile(logs.path('lambda-emulator'), 'utf8')).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[udagram-classifier\] REPORT RequestId: r1 Duration: 12\.00 ms\n$/,
    );
    const classifierLines = (await readFile(logs.path('classifier'), 'utf8')).split('\n');
    expect(classifierLines[0]).toBe('{"level":"INFO","message":"ok"}');
    expect(classifierLines[1]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z terminate called after throwing/);

    closeLogFiles();
    logs.clear();
    logs.textWriter('sqs')('fresh');
    await expect(readFile(logs.path('classifier'), 'utf8')).rejects.toThrow('ENOENT');
    expect(await readFile(logs.path('sqs'), 'utf8')).toMatch(/Z fresh\n$/);
  });

  it('clears only the services’ files: a folder beside them (npm test’s step logs) stays', async () => {
    const directory = join(root, 'logs');
    await mkdir(join(directory, 'test'), { recursive: true });
    await writeFile(join(directory, 'test', 'unit.log'), 'step output\n');
    await writeFile(join(directory, 'notifier.log'), '{}\n');

    new LocalLogFiles(directory).clear();

    expect(await readFile(join(directory, 'test', 'unit.log'), 'utf8')).toBe('step output\n');
    await expect(readFile(join(directory, 'notifier.log'), 'utf8')).rejects.toThrow('ENOENT');
  });

  it('clears a directory that does not exist yet without complaint', () => {
    expect(() => new LocalLogFiles(join(root, 'missing')).clear()).not.toThrow();
  });
});
