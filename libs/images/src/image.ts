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
 * mirrors `status` while it is PENDING or FAILED and is removed once CLASSIFIED (a sparse index of the images
 * the backfill must look at). `claimToken` marks the one classification run allowed to write a result.
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
  unfinishedStatus?: Exclude<ImageStatus, 'CLASSIFIED'>;
  claimToken?: string;
  claimedAt?: string;
}

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
