import type { ExpectedOutcome } from './load-photos.js';
import type { StoredState } from './stored-state.js';

/** An image the API acknowledged (201), with the photo uploaded for it. */
export interface CreatedImage {
  imageId: string;
  title: string;
  photo: string;
  expected: ExpectedOutcome;
}

/** The group's images in DynamoDB, held against what the clients were told. */
export interface ImageAudit {
  records: number;
  classified: number;
  failedByType: Record<string, number>;
  /** FAILED without an error type and a reason. */
  failedWithoutReason: string[];
  pending: number;
  /** Acknowledged, but no record. */
  lost: string[];
  /** Two records or more for one upload (the same title). */
  duplicatedUploads: string[];
  /** Records the clients were never told about (e.g. a create answered 503 that was written anyway). */
  unacknowledged: string[];
  /** Label index entries for an image that is not CLASSIFIED, or for a word that is not among its labels. */
  staleLabelEntries: string[];
  /** Words of a CLASSIFIED image with no label index entry. */
  missingLabelEntries: string[];
  /** CLASSIFIED, but with no thumbnail recorded. */
  classifiedWithoutThumbnail: string[];
  /** Finished, but not as its photo should end (the wrong label, the wrong error type). */
  wrongOutcomes: string[];
}

export function auditImages(created: readonly CreatedImage[], state: StoredState): ImageAudit {
  const records = new Map(state.images.map((image) => [image.imageId, image]));
  const acknowledged = new Set(created.map((image) => image.imageId));
  const recordsByTitle = countBy(state.images.map((image) => image.title));
  const failed = state.images.filter((image) => image.status === 'FAILED');

  const wordsOf = new Map(
    state.images
      .filter((image) => image.status === 'CLASSIFIED')
      .map((image) => [image.imageId, new Set(image.labelWords ?? [])]),
  );
  const indexed = new Set(state.labelEntries.map((entry) => `${entry.imageId} ${entry.word}`));

  return {
    records: state.images.length,
    classified: state.images.filter((image) => image.status === 'CLASSIFIED').length,
    failedByType: countBy(failed.map((image) => image.failure?.errorType ?? '(none)')),
    failedWithoutReason: failed
      .filter((image) => !image.failure?.errorType || !image.failure.reason)
      .map((image) => image.imageId),
    pending: state.images.filter((image) => image.status === 'PENDING').length,
    lost: created.filter((image) => !records.has(image.imageId)).map((image) => image.imageId),
    duplicatedUploads: Object.entries(recordsByTitle)
      .filter(([, count]) => count > 1)
      .map(([title]) => title),
    unacknowledged: state.images.filter((image) => !acknowledged.has(image.imageId)).map((image) => image.imageId),
    staleLabelEntries: state.labelEntries
      .filter((entry) => !wordsOf.get(entry.imageId)?.has(entry.word))
      .map((entry) => `${entry.imageId} ${entry.word}`),
    missingLabelEntries: [...wordsOf].flatMap(([imageId, words]) =>
      [...words].filter((word) => !indexed.has(`${imageId} ${word}`)).map((word) => `${imageId} ${word}`),
    ),
    classifiedWithoutThumbnail: state.images
      .filter((image) => image.status === 'CLASSIFIED' && image.thumbnailKey === undefined)
      .map((image) => image.imageId),
    wrongOutcomes: created.flatMap((image) => {
      const record = records.get(image.imageId);
      if (record === undefined || record.status === 'PENDING') return [];
      const outcome = record.status === 'CLASSIFIED' ? record.classLabel : record.failure?.errorType;
      const expected = image.expected.status === 'CLASSIFIED' ? image.expected.classLabel : image.expected.errorType;
      if (record.status === image.expected.status && outcome === expected) return [];
      return [
        `${image.title} (${image.photo}): expected ${image.expected.status} ${expected}, found ${record.status} ${outcome}`,
      ];
    }),
  };
}

export function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
