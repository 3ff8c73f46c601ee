import { CurrentUser, type AuthenticatedUser } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { ImageIdParams, ImageProcessingService, ImageResponseDto, ImagesService } from '@app/images';
import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ImageLabeller } from './image-labeller.js';

@ApiTags('images')
@Controller('images/:imageId/classification')
export class ImageClassificationController {
  constructor(
    private readonly images: ImagesService,
    private readonly processing: ImageProcessingService,
    private readonly labeller: ImageLabeller,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'reclassifyImage',
    summary: 'Classify the image again (owner only)',
    description: 'Runs the classifier now and answers with the image’s new state: CLASSIFIED, or FAILED with the reason.',
  })
  @ApiOkResponse({ type: ImageResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  async reclassify(@CurrentUser() user: AuthenticatedUser, @Param() params: ImageIdParams): Promise<ImageResponseDto> {
    const image = await this.images.findOwned(user.userId, params.imageId, 're-classify');
    await this.labeller.label(image, { force: true });
    return { item: await this.processing.toDto(await this.images.find(params.imageId)) };
  }
}
