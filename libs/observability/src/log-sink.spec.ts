import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeLogFiles, prettyLine, sinkFromEnvironment, stdoutJsonSink } from './log-sink.js';

describe('log sinks', () => {
  let directory: string | undefined;
  afterEach(async () => {
    closeLogFiles();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('appends JSON lines to <UDAGRAM_LOG_DIR>/<service>.log, creating the directory', async () => {
    directory = await mkdtemp(join(tmpdir(), 'udagram-logs-'));
    const logDir = join(directory, 'logs');
    const sink = sinkFromEnvironment('notifier', { UDAGRAM_LOG_DIR: logDir });
    sink.write('{"message":"one"}', { message: 'one' });
    sinkFromEnvironment('notifier', { UDAGRAM_LOG_DIR: logDir }).write('{"message":"two"}', { message: 'two' });

    await expect(readFile(join(logDir, 'notifier.log'), 'utf8')).resolves.toBe(
      '{"message":"one"}\n{"message":"two"}\n',
    );
  });

  it('writes JSON to stdout without a directory or pretty lines (Lambda)', () => {
    expect(sinkFromEnvironment('udagram-api', {})).toBe(stdoutJsonSink);
  });

  it('prints a readable line with the same fields', () => {
    const line = prettyLine({
      level: 'INFO',
      message: 'Image 1: CLASSIFIED',
      timestamp: '2026-12-05T01:02:03.456Z',
      service: 'classification-worker',
      context: 'ImageLabeller',
      sampling_rate: 0,
      imageId: '1',
      timings: { inferenceMs: 12 },
    });
    expect(line).toBe(
      '01:02:03.456 INFO  classification-worker ImageLabeller: Image 1: CLASSIFIED  imageId=1  timings={"inferenceMs":12}',
    );
  });
});
