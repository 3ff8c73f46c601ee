import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';

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
}

export const imagesConfig = registerAs('images', () => {
  const environment = validateEnvironment(ImagesEnvironment);
  return {
    tableName: environment.IMAGES_TABLE ?? 'udagram-images',
    labelsTableName: environment.IMAGE_LABELS_TABLE ?? 'udagram-image-labels',
    bucket: environment.IMAGES_BUCKET,
    uploadUrlTtlSeconds: environment.UPLOAD_URL_TTL_SECONDS ?? 300,
    imageUrlTtlSeconds: environment.IMAGE_URL_TTL_SECONDS ?? 3600,
    thumbnailsCdnUrl: environment.THUMBNAILS_CDN_URL,
  };
});

export type ImagesConfig = ReturnType<typeof imagesConfig>;
