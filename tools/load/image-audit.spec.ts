import type { ImageRecord } from '@app/images';
import { describe, expect, it } from 'vitest';
import { auditImages, type CreatedImage } from './image-audit.js';
import type { StoredState } from './stored-state.js';

const squirrel = 'fox squirrel, eastern fox squirrel, Sciurus niger';
const created = (imageId: string, expected: CreatedImage['expected']): CreatedImage => ({
  imageId,
  title: `Load ${imageId}`,
  photo: expected.status === 'CLASSIFIED' ? 'squirrel.jpg' : 'text file',
  expected,
});
const record = (imageId: string, fields: Partial<ImageRecord> = {}): ImageRecord =>
  ({ imageId, title: `Load ${imageId}`, timestampId: `t#${imageId}`, status: 'PENDING', ...fields }) as ImageRecord;
const classified = (imageId: string, classLabel = squirrel): ImageRecord =>
  record(imageId, {
    status: 'CLASSIFIED',
    classLabel,
    labelWords: ['fox', 'squirrel'],
    thumbnailKey: `thumbnails/${imageId}.jpg`,
  });
const entry = (imageId: string, word: string) => ({ imageId, word, timestampId: `t#${imageId}` });
const indexed = (imageId: string) => [entry(imageId, 'fox'), entry(imageId, 'squirrel')];
const undecodable = { status: 'FAILED', errorType: 'UndecodableImage' } as const;
const expectSquirrel = { status: 'CLASSIFIED', classLabel: squirrel } as const;

describe('auditImages', () => {
  it('finds nothing wrong when every acknowledged image ended as its photo should, indexed and counted', () => {
    const state: StoredState = {
      images: [
        classified('a'),
        record('b', { status: 'FAILED', failure: { errorType: 'UndecodableImage', reason: 'Not an image' } }),
      ],
      labelEntries: indexed('a'),
    };

    const audit = auditImages([created('a', expectSquirrel), created('b', undecodable)], state);

    expect(audit).toEqual({
      records: 2,
      classified: 1,
      failedByType: { UndecodableImage: 1 },
      failedWithoutReason: [],
      pending: 0,
      lost: [],
      duplicatedUploads: [],
      unacknowledged: [],
      staleLabelEntries: [],
      missingLabelEntries: [],
      classifiedWithoutThumbnail: [],
      wrongOutcomes: [],
    });
  });

  it('tells lost, duplicated, unacknowledged, pending, wrongly ended and wrongly indexed images apart', () => {
    const state: StoredState = {
      images: [
        classified('a', 'tripod'),
        { ...classified('b'), thumbnailKey: undefined },
        record('c', { status: 'FAILED', failure: { errorType: 'ClassifierUnavailable', reason: '' } }),
        record('d'),
        record('x', { title: 'Load d' }),
      ],
      labelEntries: [...indexed('a'), entry('b', 'fox'), entry('c', 'squirrel')],
    };

    const audit = auditImages(
      [
        created('a', expectSquirrel),
        created('b', expectSquirrel),
        created('c', undecodable),
        created('d', expectSquirrel),
        created('e', expectSquirrel),
      ],
      state,
    );

    expect(audit).toMatchObject({
      records: 5,
      classified: 2,
      failedByType: { ClassifierUnavailable: 1 },
      failedWithoutReason: ['c'],
      pending: 2,
      lost: ['e'],
      duplicatedUploads: ['Load d'],
      unacknowledged: ['x'],
      staleLabelEntries: ['c squirrel'],
      missingLabelEntries: ['b squirrel'],
      classifiedWithoutThumbnail: ['b'],
      wrongOutcomes: [
        `Load a (squirrel.jpg): expected CLASSIFIED ${squirrel}, found CLASSIFIED tripod`,
        'Load c (text file): expected FAILED UndecodableImage, found FAILED ClassifierUnavailable',
      ],
    });
  });
});
