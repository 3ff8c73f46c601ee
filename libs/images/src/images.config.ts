import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsNumber, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';

class ImagesEnvironment {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'IMAGES_TABLE must be a DynamoDB table name' })
  IMAGES_TABLE?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'IMAGE_LABELS_TABLE must be a DynamoDB table name' })
  IMAGE_LABELS_TABLE?: string;

  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'IMAGES_BUCKET must be an S3 bucket name' })
  IMAGES_BUCKET!: string;

  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(3600)
  UPLOAD_URL_TTL_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  IMAGE_URL_TTL_SECONDS?: number;

  /**
   * The CDN (CloudFront, reading the bucket's thumbnails/ through origin access control) that serves thumbnails at
   * stable URLs, cached at the edge and in browsers; unset, thumbnails get presigned URLs like photos.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https'], require_protocol: true })
  THUMBNAILS_CDN_URL?: string;

  /**
   * A label other than the top one is indexed for search only with at least this confidence (0–1). The top-5
   * labels of a photo are mostly near-zero guesses (the fixtures: 0.013, 0.0019, 0.0015, 0.001 after a 0.98
   * squirrel), which made every word ~10 index entries per upload and inflated common words like "dog".
   */
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  LABEL_INDEX_MIN_CONFIDENCE?: number;

  /** How long a public listing's first page may be served from this process's memory (0: never). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  LISTING_CACHE_TTL_MS?: number;

  /**
   * How long a classification run may hold an image before another run may take it over: above a run's longest
   * (the classifier's attempts with back-off, ≈ 34 s in AWS), below the queue's visibility timeout (240 s), so
   * the next delivery of a crashed run's message finds the claim stale. The workers and the backfill both judge
   * a claim by it.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  CLASSIFICATION_CLAIM_TIMEOUT_SECONDS?: number;
}

export const imagesConfig = registerAs('images', () => {
  const environment = validateEnvironment(ImagesEnvironment);
  return {
    tableName: environment.IMAGES_TABLE ?? 'udagram-group-images',
    labelsTableName: environment.IMAGE_LABELS_TABLE ?? 'udagram-image-labels',
    bucket: environment.IMAGES_BUCKET,
    uploadUrlTtlSeconds: environment.UPLOAD_URL_TTL_SECONDS ?? 300,
    imageUrlTtlSeconds: environment.IMAGE_URL_TTL_SECONDS ?? 3600,
    thumbnailsCdnUrl: environment.THUMBNAILS_CDN_URL,
    labelIndexMinConfidence: environment.LABEL_INDEX_MIN_CONFIDENCE ?? 0.1,
    listingCacheTtlMs: environment.LISTING_CACHE_TTL_MS ?? 0,
    claimTimeoutSeconds: environment.CLASSIFICATION_CLAIM_TIMEOUT_SECONDS ?? 90,
  };
});

export type ImagesConfig = ReturnType<typeof imagesConfig>;
