import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMAGE_CONTENT_TYPES } from '../image.js';

export class ImageLabelDto {
  @ApiProperty({ example: 'fox squirrel, eastern fox squirrel, Sciurus niger' })
  label!: string;

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.98 })
  confidence!: number;

  @ApiProperty({ description: 'The class index in the model’s label list.', example: 335 })
  classId!: number;
}

export class ImageFailureDto {
  @ApiProperty({
    example: 'UndecodableImage',
    description:
      'UndecodableImage, ImageTooLarge, InvalidRequest, ModelError, ClassifierUnavailable, DownloadFailed, UploadMissing…',
  })
  errorType!: string;

  @ApiProperty({ example: 'the file is not an image the classifier can read' })
  reason!: string;
}

export class ImageDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c' })
  groupId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-04T21:56:21.077Z' })
  timestamp!: string;

  @ApiProperty({ format: 'uuid', example: '5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c' })
  imageId!: string;

  @ApiProperty({ description: 'The owner: the `sub` of the token that created it.', example: 'alice' })
  userId!: string;

  @ApiProperty({ example: 'A squirrel in the park' })
  title!: string;

  @ApiProperty({ enum: ['PENDING', 'CLASSIFIED', 'FAILED'], example: 'CLASSIFIED' })
  status!: string;

  @ApiPropertyOptional({ enum: IMAGE_CONTENT_TYPES, example: 'image/jpeg' })
  contentType?: string;

  @ApiProperty({
    description: 'A presigned GET URL for the photo (images are not public); it expires.',
    example:
      'https://udagram-images.s3.amazonaws.com/images/5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c?X-Amz-Expires=3600&X-Amz-Signature=…',
  })
  imageUrl!: string;

  @ApiPropertyOptional({
    description: 'A presigned GET URL for a 256 px JPEG thumbnail, once made.',
    example:
      'https://udagram-images.s3.amazonaws.com/thumbnails/5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c.jpg?X-Amz-Expires=3600&X-Amz-Signature=…',
  })
  thumbnailUrl?: string;

  @ApiPropertyOptional({
    description: 'The top label (CLASSIFIED only).',
    example: 'fox squirrel, eastern fox squirrel, Sciurus niger',
  })
  classLabel?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, example: 0.98 })
  confidence?: number;

  @ApiPropertyOptional({ type: [ImageLabelDto], description: 'The top 5 labels, best first.' })
  labels?: ImageLabelDto[];

  @ApiPropertyOptional({ example: 'bvlc_googlenet' })
  model?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the image became CLASSIFIED or FAILED.',
    example: '2026-12-04T21:56:23.412Z',
  })
  classifiedAt?: string;

  @ApiPropertyOptional({ type: ImageFailureDto, description: 'Why it could not be labelled (FAILED only).' })
  failure?: ImageFailureDto;

  @ApiPropertyOptional({
    type: ImageFailureDto,
    description: 'A re-classification that failed on a transient error: the labels above were kept, this says why.',
  })
  lastAttemptFailure?: ImageFailureDto;
}

export class ImageResponseDto {
  @ApiProperty({ type: ImageDto })
  item!: ImageDto;
}

export class CreatedImageResponseDto {
  @ApiProperty({ type: ImageDto })
  newItem!: ImageDto;

  @ApiProperty({
    description: 'PUT the photo’s bytes here within 300 s (presigned S3 URL).',
    example:
      'https://udagram-images.s3.amazonaws.com/images/5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c?X-Amz-Expires=300&X-Amz-Signature=…',
  })
  uploadUrl!: string;
}

export class ImagePageDto {
  @ApiProperty({ type: [ImageDto] })
  items!: ImageDto[];

  @ApiPropertyOptional({ description: 'Pass as `?nextKey=` for the next page; absent on the last page.' })
  nextKey?: string;
}
