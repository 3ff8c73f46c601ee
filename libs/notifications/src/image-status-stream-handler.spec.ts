import type { UdagramMetrics } from '@app/observability';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageStatusNotifier } from './image-status-notifier.js';
import { ImageStatusStreamHandler, NOTIFICATION_TIME_RESERVE_MS } from './image-status-stream-handler.js';
import { image, imageStreamRecord } from './stream-record.fixture.js';

const classified = (imageId: string, sequenceNumber: string, classLabel = 'cat') =>
  imageStreamRecord(
    'MODIFY',
    { old: image('PENDING', { imageId }), new: image('CLASSIFIED', { imageId, classLabel }) },
    sequenceNumber,
  );

describe('ImageStatusStreamHandler', () => {
  const notify = vi.fn();
  let handler: ImageStatusStreamHandler;

  beforeEach(() => {
    notify.mockReset().mockResolvedValue({ sent: 1, gone: 0, failed: 0 });
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    handler = new ImageStatusStreamHandler({ notify } as unknown as ImageStatusNotifier);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('announces each status change of the batch in stream order, and skips records that announce nothing', async () => {
    const records = [
      classified('a', '1'),
      imageStreamRecord('INSERT', { new: image('PENDING', { imageId: 'b' }) }, '2'),
      classified('c', '3'),
    ];

    await expect(handler.handle(records, () => 60_000 + NOTIFICATION_TIME_RESERVE_MS)).resolves.toEqual({
      batchItemFailures: [],
    });

    expect(notify.mock.calls.map(([message]) => message.imageId)).toEqual(['a', 'c']);
  });

  it('counts each notification’s posts sent and connections gone', async () => {
    const metrics = { notifications: vi.fn() };
    const counted = new ImageStatusStreamHandler(
      { notify } as unknown as ImageStatusNotifier,
      metrics as unknown as UdagramMetrics,
    );
    notify
      .mockResolvedValueOnce({ sent: 2, gone: 1, failed: 0 })
      .mockResolvedValueOnce({ sent: 0, gone: 0, failed: 0 });

    await counted.handle([classified('a', '1'), classified('b', '2')], () => Number.POSITIVE_INFINITY);

    expect(metrics.notifications.mock.calls).toEqual([
      [{ sent: 2, gone: 1, failed: 0 }],
      [{ sent: 0, gone: 0, failed: 0 }],
    ]);
  });

  it('announces only the latest change of an image that changed twice in the batch', async () => {
    const records = [
      classified('a', '1', 'cat'),
      imageStreamRecord(
        'MODIFY',
        { old: image('CLASSIFIED', { imageId: 'a' }), new: image('PENDING', { imageId: 'a' }) },
        '2',
      ),
      classified('b', '3'),
      classified('a', '4', 'dog'),
    ];

    await handler.handle(records, () => Number.POSITIVE_INFINITY);

    expect(notify.mock.calls.map(([message]) => [message.imageId, message.classLabel])).toEqual([
      ['b', 'cat'],
      ['a', 'dog'],
    ]);
  });

  it('hands the rest back from the first record not announced when too little time is left', async () => {
    let remaining = NOTIFICATION_TIME_RESERVE_MS + 10_000;
    notify.mockImplementation(async () => {
      remaining -= 20_000; // one notification to a large group
      return { sent: 1, gone: 0, failed: 0 };
    });

    const result = await handler.handle(
      [classified('a', '11'), classified('b', '12'), classified('c', '13')],
      () => remaining,
    );

    expect(notify).toHaveBeenCalledOnce();
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '12' }] });
  });
});
