export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

export type ImageStatus = 'PENDING' | 'CLASSIFIED' | 'FAILED';

/** One of the classifier's top labels. */
export interface ImageLabel {
  label: string;
  confidence: number;
  classId: number;
}

/** Why an image could not be labelled: the classifier's error type and a sentence for people. */
export interface ImageFailure {
  errorType: string;
  reason: string;
}

/** What the classifier said of an image. */
export interface ImageClassification {
  classLabel: string;
  confidence: number;
  labels: ImageLabel[];
  model: string;
}

/**
 * An image as stored. `timestampId` is the sort key, `objectKey` where its bytes live in S3. `unfinishedStatus`
 * marks an image with work left (see UnfinishedWork) in one of UNFINISHED_SHARDS shards, a sparse index of what the
 * backfill must look at. `claimToken` marks the one classification run allowed to write a result; `claimedAt` says
 * that a run holds it now. `lastAttemptFailure`: a re-classification that failed on a transient error kept the
 * earlier labels and recorded why beside them.
 */
export interface ImageRecord extends Partial<ImageClassification> {
  groupId: string;
  timestampId: string;
  timestamp: string;
  imageId: string;
  userId: string;
  title: string;
  status: ImageStatus;
  objectKey: string;
  contentType?: ImageContentType;
  classifiedAt?: string;
  failure?: ImageFailure;
  labelWords?: string[];
  thumbnailKey?: string;
  unfinishedStatus?: string;
  lastAttemptFailure?: ImageFailure;
  claimToken?: string;
  claimedAt?: string;
  /** The creating request's correlation id (docs/OBSERVABILITY.md): the pipeline's lines about the image carry it. */
  correlationId?: string;
}

/**
 * Work left on an image: PENDING (to classify), FAILED (a transient failure: classify again), THUMBNAIL (classified,
 * no thumbnail yet). Permanent failures are not listed: classifying the same photo again would fail the same way.
 */
export type UnfinishedWork = 'PENDING' | 'FAILED' | 'THUMBNAIL';
export const UNFINISHED_WORK: readonly UnfinishedWork[] = ['PENDING', 'FAILED', 'THUMBNAIL'];

/**
 * Shards of the unfinished-work index. Every upload writes its marker and every result removes or changes it, so
 * one key value per state would take 2 index writes per upload on one partition: ≈500 uploads/s at the 1,000 WCU
 * partition limit. 16 shards: 1,000/s × 2 / 16 = 125 WCU per key value at the design rate, 375 at 3,000/s bursts.
 */
export const UNFINISHED_SHARDS = 16;

/** The index key of an image's unfinished work, e.g. `PENDING#7`: the shard is a hash of the image id. */
export function unfinishedMarker(work: UnfinishedWork, imageId: string): string {
  let hash = 0;
  for (const character of imageId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return `${work}#${hash % UNFINISHED_SHARDS}`;
}

/** Classifier failures a later try may not repeat: the image may be claimed again (after a redrive, by the backfill). */
export const TRANSIENT_FAILURE_TYPES = ['ClassifierUnavailable', 'DownloadFailed', 'DeadlineExceeded'] as const;

const IMAGE_OBJECT_KEY = /^images\/([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/;

export function imageObjectKey(imageId: string): string {
  return `images/${imageId}`;
}

export function thumbnailObjectKey(imageId: string): string {
  return `thumbnails/${imageId}.jpg`;
}

/** The image id an uploaded object belongs to, or undefined for any other key. */
export function imageIdOfObjectKey(objectKey: string): string | undefined {
  return IMAGE_OBJECT_KEY.exec(objectKey)?.[1];
}

const THUMBNAIL_OBJECT_KEY = /^thumbnails\/([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.jpg$/;

/** The image id a thumbnail belongs to, or undefined for any other key. */
export function imageIdOfThumbnailKey(objectKey: string): string | undefined {
  return THUMBNAIL_OBJECT_KEY.exec(objectKey)?.[1];
}
