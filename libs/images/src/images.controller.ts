import { CurrentUser, Public, type AuthenticatedUser } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ImageIdParams } from './dto/image-id.params.js';
import { ImagePageDto, ImageResponseDto } from './dto/image.dto.js';
import { RequiredLabelSearchQueryDto } from './dto/label-search-query.dto.js';
import { ImagesService } from './images.service.js';
import { PHOTO_CONTENT_TYPES, PHOTO_UPLOAD_MAX_BYTES } from './photo-upload.js';

@ApiTags('images')
@Controller('images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'searchImages',
    summary: 'Search images by label word, newest first',
    description: 'Case-insensitive, whole word: `dog` finds "dalmatian, coach dog, carriage dog".',
  })
  @ApiOkResponse({ type: ImagePageDto })
  @ApiErrorResponses(400, 503)
  search(@Query() query: RequiredLabelSearchQueryDto): Promise<ImagePageDto> {
    return this.images.searchByLabel(query.label, query.limit, query.nextKey);
  }

  @Public()
  @Get(':imageId')
  @ApiOperation({ operationId: 'getImage', summary: 'Get one image' })
  @ApiOkResponse({ type: ImageResponseDto })
  @ApiErrorResponses(400, 404, 503)
  async get(@Param() params: ImageIdParams): Promise<ImageResponseDto> {
    return { item: await this.images.get(params.imageId) };
  }

  @Put(':imageId/photo')
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'uploadImagePhoto',
    summary: 'Upload the photo of an image you created (up to 4 MiB)',
    description:
      'The photo’s bytes as the body, its type as Content-Type: the type the image was created with, and what ' +
      `the bytes are. At most ${PHOTO_UPLOAD_MAX_BYTES} bytes (4 MiB, what fits a Lambda event once API Gateway ` +
      'base64-encodes it); larger photos go to the presigned `uploadUrl`. The image stays PENDING until the ' +
      'classifier has labelled it: GET it to see its label.',
  })
  @ApiConsumes(...PHOTO_CONTENT_TYPES)
  @ApiBody({ description: 'The photo file.', schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImageResponseDto, description: 'Stored; the image is PENDING until labelled.' })
  @ApiErrorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503)
  async uploadPhoto(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: ImageIdParams,
    @Headers('content-type') contentType: string | undefined,
    @Body() photo: unknown,
  ): Promise<ImageResponseDto> {
    const bytes = Buffer.isBuffer(photo) ? photo : undefined;
    return { item: await this.images.uploadPhoto(user.userId, params.imageId, bytes, contentType) };
  }

  @Delete(':imageId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'deleteImage',
    summary: 'Delete an image and its photo (its owner, or its group’s owner)',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  async delete(@CurrentUser() user: AuthenticatedUser, @Param() params: ImageIdParams): Promise<void> {
    await this.images.delete(user.userId, params.imageId);
  }
}
