import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTimeline, imageTimeline, parseLogLine, readLogDirectory } from './image-timeline.js';

const json = (fields: Record<string, unknown>) => JSON.stringify({ level: 'INFO', ...fields });

describe('the image timeline', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('parses JSON lines and time-stamped text lines, and skips the rest', () => {
    expect(
      parseLogLine(
        json({ message: 'm', timestamp: '2026-12-05T00:00:00.001Z', service: 'notifier', imageId: 'i' }),
        'x',
      ),
    ).toMatchObject({
      service: 'notifier',
      level: 'INFO',
      message: 'm',
      fields: { imageId: 'i' },
    });
    expect(
      parseLogLine(
        '2026-12-05T00:00:00.002Z invocation r1: CLASSIFIED imageId=i correlationId=c-1 downloadMs=1.0',
        'classifier',
      ),
    ).toMatchObject({
      service: 'classifier',
      fields: { imageId: 'i', correlationId: 'c-1', downloadMs: '1.0' },
    });
    expect(parseLogLine('{"message": "no time"}', 'x')).toBeUndefined();
    expect(parseLogLine('{not json', 'x')).toBeUndefined();
    expect(parseLogLine('plain text without a time', 'x')).toBeUndefined();
  });

  it('orders the image’s lines from every file, with its request’s lines and without other images’', async () => {
    directory = await mkdtemp(join(tmpdir(), 'udagram-trace-'));
    await writeFile(
      join(directory, 'udagram-api.log'),
      [
        json({
          message: 'POST received',
          timestamp: '2026-12-05T00:00:00.000Z',
          service: 'udagram-api',
          correlationId: 'c-1',
        }),
        json({
          message: 'Image i created',
          timestamp: '2026-12-05T00:00:00.010Z',
          service: 'udagram-api',
          correlationId: 'c-1',
          imageId: 'i',
        }),
        json({
          message: 'Image j created',
          timestamp: '2026-12-05T00:00:00.020Z',
          service: 'udagram-api',
          correlationId: 'c-1',
          imageId: 'j',
        }),
        json({
          message: 'another request',
          timestamp: '2026-12-05T00:00:00.030Z',
          service: 'udagram-api',
          correlationId: 'c-2',
        }),
      ].join('\n'),
    );
    await writeFile(
      join(directory, 'classifier.log'),
      [
        json({
          message: 'image classified',
          timestamp: '2026-12-05T00:00:00.500Z',
          service: 'classifier',
          cold_start: true,
          correlationId: 'c-1',
          imageId: 'i',
          label: 'fox squirrel',
          timings: { downloadMs: 18.046, decodeMs: 1.195, inferenceMs: 78.426 },
        }),
        'not a log line',
      ].join('\n'),
    );
    await writeFile(
      join(directory, 'lambda-emulator.log'),
      '2026-12-05T00:00:00.550Z [udagram-classifier] REPORT RequestId: r1 Duration: 99.00 ms\n',
    );
    await writeFile(
      join(directory, 'classification-worker.log'),
      json({
        message: 'Image i: CLASSIFIED',
        timestamp: '2026-12-05T00:00:00.600Z',
        service: 'classification-worker',
        correlationId: 'c-1',
        imageId: 'i',
      }),
    );

    const timeline = imageTimeline(await readLogDirectory(directory), 'i');

    expect(timeline.map((entry) => `${entry.service}: ${entry.message}`)).toEqual([
      'udagram-api: POST received',
      'udagram-api: Image i created',
      'classifier: image classified',
      'classification-worker: Image i: CLASSIFIED',
    ]);
    expect(formatTimeline(timeline).split('\n')).toEqual([
      '00:00:00.000  +     0 ms  (Δ     0 ms)  udagram-api            INFO   POST received',
      '00:00:00.010  +    10 ms  (Δ    10 ms)  udagram-api            INFO   Image i created',
      '00:00:00.500  +   500 ms  (Δ   490 ms)  classifier             INFO   image classified  label="fox squirrel"  downloadMs=18.0  decodeMs=1.2  inferenceMs=78.4  (cold start)',
      '00:00:00.600  +   600 ms  (Δ   100 ms)  classification-worker  INFO   Image i: CLASSIFIED',
    ]);
  });
});
