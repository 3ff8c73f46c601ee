import { CurrentUser, Public, type AuthenticatedUser } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { GroupIdParams } from '@app/groups';
import { CorrelationId } from '@app/observability';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CreateImageDto } from './dto/create-image.dto.js';
import { LabelSearchQueryDto } from './dto/label-search-query.dto.js';
import { CreatedImageResponseDto, ImagePageDto } from './dto/image.dto.js';

import { ImagesService } from './images.service.js';

@ApiTags('images')
@Controller('groups/:groupId/images')
export class GroupImagesController {
  constructor(private readonly images: ImagesService) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'listGroupImages',
    summary: 'List a group’s images, newest first',
    description: 'With `label`, only the images with that word in one of their top-5 labels.',
  })
  @ApiParam({ name: 'groupId', format: 'uuid', example: '3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c' })
  @ApiOkResponse({ type: ImagePageDto })
  @ApiErrorResponses(400, 404, 503)
  list(@Param() params: GroupIdParams, @Query() query: LabelSearchQueryDto): Promise<ImagePageDto> {
    return this.images.listForGroup(params.groupId, query.limit, query.nextKey, query.label);
  }

  @Post()
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'createImage',
    summary: 'Create an image and get a presigned URL to upload it',
    description: 'The image starts PENDING. PUT the photo to `uploadUrl` (valid 300 s).',
  })
  @ApiParam({ name: 'groupId', format: 'uuid' })
  @ApiCreatedResponse({ type: CreatedImageResponseDto })
  @ApiErrorResponses(400, 401, 404, 503)
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: GroupIdParams,
    @Body() body: CreateImageDto,
    @CorrelationId() correlationId: string,
  ): Promise<CreatedImageResponseDto> {
    return this.images.create(user.userId, params.groupId, body, correlationId);
  }
}
