export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

export type ImageStatus = 'PENDING' | 'CLASSIFIED' | 'FAILED';

/** An image as stored: `timestampId` is the sort key, `objectKey` where its bytes live in S3. */
export interface ImageRecord {
  groupId: string;
  timestampId: string;
  timestamp: string;
  imageId: string;
  userId: string;
  title: string;
  status: ImageStatus;
  objectKey: string;
  contentType?: ImageContentType;
}
