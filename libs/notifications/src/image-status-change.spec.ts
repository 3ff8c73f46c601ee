import { describe, expect, it } from 'vitest';
import { statusMessageOf } from './image-status-change.js';
import { image, imageStreamRecord } from './stream-record.fixture.js';

describe('statusMessageOf', () => {
  it('announces a new result with its label', () => {
    const record = imageStreamRecord('MODIFY', {
      old: image('PENDING'),
      new: image('CLASSIFIED', { classLabel: 'fox squirrel' }),
    });

    expect(statusMessageOf(record)).toEqual({
      type: 'ImageStatusChanged',
      imageId: 'image-1',
      groupId: 'group-1',
      status: 'CLASSIFIED',
      classLabel: 'fox squirrel',
    });
  });

  it('carries the correlation id of the request that created the image, when it is a valid one', () => {
    const classified = (correlationId: string) => image('CLASSIFIED', { classLabel: 'cat', correlationId });
    const valid = imageStreamRecord('MODIFY', { old: image('PENDING'), new: classified('req-1') });
    const odd = imageStreamRecord('MODIFY', { old: image('PENDING'), new: classified('a b') });

    expect(statusMessageOf(valid)).toMatchObject({ imageId: 'image-1', correlationId: 'req-1' });
    expect(statusMessageOf(odd)).not.toHaveProperty('correlationId');
  });

  it('announces a failure with a null label', () => {
    const record = imageStreamRecord('MODIFY', {
      old: image('PENDING'),
      new: image('FAILED', { failure: { errorType: 'UndecodableImage' } }),
    });

    expect(statusMessageOf(record)).toMatchObject({ status: 'FAILED', classLabel: null });
  });

  it('announces PENDING again when a re-classification starts after a result', () => {
    const record = imageStreamRecord('MODIFY', {
      old: image('CLASSIFIED', { classLabel: 'cat' }),
      new: image('PENDING', { classLabel: 'cat' }),
    });

    expect(statusMessageOf(record)).toMatchObject({ status: 'PENDING', classLabel: null });
  });

  it('announces an image inserted whole with its result', () => {
    expect(statusMessageOf(imageStreamRecord('INSERT', { new: image('FAILED') }))).toMatchObject({ status: 'FAILED' });
  });

  it.each([
    ['a new PENDING image', imageStreamRecord('INSERT', { new: image('PENDING') })],
    ['a claim', imageStreamRecord('MODIFY', { old: image('PENDING'), new: image('PENDING', { claimToken: 'x' }) })],
    [
      'a thumbnail',
      imageStreamRecord('MODIFY', {
        old: image('CLASSIFIED'),
        new: image('CLASSIFIED', { thumbnailKey: 'thumbnails/x' }),
      }),
    ],
    ['a delete', imageStreamRecord('REMOVE', { old: image('CLASSIFIED') })],
    ['an unknown status', imageStreamRecord('MODIFY', { old: image('PENDING'), new: image('ARCHIVED') })],
    [
      'a record without an image id',
      imageStreamRecord('MODIFY', { old: image('PENDING'), new: image('FAILED', { imageId: 7 }) }),
    ],
  ])('announces nothing for %s', (_name, record) => {
    expect(statusMessageOf(record)).toBeUndefined();
  });
});
