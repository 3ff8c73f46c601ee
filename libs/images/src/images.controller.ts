import { CurrentUser, Public, type AuthenticatedUser } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ImageIdParams } from './dto/image-id.params.js';
import { ImagePageDto, ImageResponseDto } from './dto/image.dto.js';
import { RequiredLabelSearchQueryDto } from './dto/label-search-query.dto.js';
import { ImagesService } from './images.service.js';

@ApiTags('images')
@Controller('images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Search images by label word, newest first', description: 'Case-insensitive, whole word: `dog` finds "dalmatian, coach dog, carriage dog".' })
  @ApiOkResponse({ type: ImagePageDto })
  @ApiErrorResponses(400, 503)
  search(@Query() query: RequiredLabelSearchQueryDto): Promise<ImagePageDto> {
    return this.images.searchByLabel(query.label, query.limit, query.nextKey);
  }

  @Public()
  @Get(':imageId')
  @ApiOperation({ summary: 'Get one image' })
  @ApiOkResponse({ type: ImageResponseDto })
  @ApiErrorResponses(400, 404, 503)
  async get(@Param() params: ImageIdParams): Promise<ImageResponseDto> {
    return { item: await this.images.get(params.imageId) };
  }

  @Delete(':imageId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete an image and its photo (its owner, or its group’s owner)' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  async delete(@CurrentUser() user: AuthenticatedUser, @Param() params: ImageIdParams): Promise<void> {
    await this.images.delete(user.userId, params.imageId);
  }
}
