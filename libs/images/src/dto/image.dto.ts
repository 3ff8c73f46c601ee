import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMAGE_CONTENT_TYPES } from '../image.js';

export class ImageDto {
  @ApiProperty({ format: 'uuid' })
  groupId!: string;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ format: 'uuid' })
  imageId!: string;

  @ApiProperty({ description: 'The owner: the `sub` of the token that created it.' })
  userId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: ['PENDING', 'CLASSIFIED', 'FAILED'] })
  status!: string;

  @ApiPropertyOptional({ enum: IMAGE_CONTENT_TYPES })
  contentType?: string;

  @ApiProperty({ description: 'A presigned GET URL for the photo (images are not public); it expires.' })
  imageUrl!: string;
}

export class ImageResponseDto {
  @ApiProperty({ type: ImageDto })
  item!: ImageDto;
}

export class CreatedImageResponseDto {
  @ApiProperty({ type: ImageDto })
  newItem!: ImageDto;

  @ApiProperty({ description: 'PUT the photo’s bytes here within 300 s (presigned S3 URL).' })
  uploadUrl!: string;
}

export class ImagePageDto {
  @ApiProperty({ type: [ImageDto] })
  items!: ImageDto[];

  @ApiPropertyOptional({ description: 'Pass as `?nextKey=` for the next page; absent on the last page.' })
  nextKey?: string;
}
