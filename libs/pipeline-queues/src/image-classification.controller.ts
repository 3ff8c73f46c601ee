import { CurrentUser, type AuthenticatedUser } from '@app/auth';
import { ApiErrorResponses, NotFoundError } from '@app/errors';
import { ImageIdParams, ImageProcessingService, ImageResponseDto, ImagesService } from '@app/images';
import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PipelineQueues } from './pipeline-queues.js';

@ApiTags('images')
@Controller('images/:imageId/classification')
export class ImageClassificationController {
  constructor(
    private readonly images: ImagesService,
    private readonly processing: ImageProcessingService,
    private readonly queues: PipelineQueues,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Classify the image again (owner only)',
    description:
      'Queues a new classification and answers at once with the image PENDING (its current labels stay until the new ' +
      'ones replace them). The result arrives as a live ImageStatusChanged notification, or by polling GET /images/{imageId}. ' +
      'A newer request supersedes an older one still queued or running.',
  })
  @ApiAcceptedResponse({ type: ImageResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  async reclassify(@CurrentUser() user: AuthenticatedUser, @Param() params: ImageIdParams): Promise<ImageResponseDto> {
    const image = await this.images.findOwned(user.userId, params.imageId, 're-classify');
    const request = await this.processing.requestReclassification(image);
    if (request === undefined) throw new NotFoundError(`Image ${params.imageId} does not exist`);
    // Queued after the claim: a message always finds its token. If the send fails (503) the image stays PENDING
    // under that token, on the unfinished index, and the backfill sends the request again.
    await this.queues.requestClassification([{ imageId: image.imageId, claimToken: request.claimToken }]);
    return { item: await this.processing.toDto(request.image) };
  }
}
