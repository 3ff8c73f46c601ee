import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IMAGE_CONTENT_TYPES, type ImageContentType } from '../image.js';

export class CreateImageDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'A squirrel in the park' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  // At least one visible character: whitespace, zero-width and format characters alone are blank.
  @Matches(/[\p{L}\p{N}\p{P}\p{S}]/u, { message: 'title must not be blank' })
  title!: string;

  @ApiPropertyOptional({
    enum: IMAGE_CONTENT_TYPES,
    example: 'image/jpeg',
    description:
      'When given, the upload URL binds this Content-Type (S3 refuses another). When absent, the URL binds none ' +
      'and the bytes are checked when the image is classified.',
  })
  @IsOptional()
  @IsIn(IMAGE_CONTENT_TYPES)
  contentType?: ImageContentType;
}
