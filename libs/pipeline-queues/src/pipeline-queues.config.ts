import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';

class PipelineQueuesEnvironment {
  /** Where re-classifications and the backfill's classification requests go (an SQS queue URL). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  CLASSIFICATION_QUEUE_URL?: string;

  /** Where the backfill's thumbnail requests go. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  THUMBNAIL_QUEUE_URL?: string;

  /** Set only for the local cloud. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SQS_ENDPOINT?: string;

  /** A PENDING image with no photo after this long is reported FAILED (UploadMissing) by the backfill. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  PENDING_UPLOAD_MAX_AGE_SECONDS?: number;
}

export const pipelineQueuesConfig = registerAs('pipelineQueues', () => {
  const environment = validateEnvironment(PipelineQueuesEnvironment);
  return {
    classificationQueueUrl: environment.CLASSIFICATION_QUEUE_URL,
    thumbnailQueueUrl: environment.THUMBNAIL_QUEUE_URL,
    sqsEndpoint: environment.SQS_ENDPOINT,
    pendingUploadMaxAgeSeconds: environment.PENDING_UPLOAD_MAX_AGE_SECONDS ?? 900,
  };
});

export type PipelineQueuesConfig = ReturnType<typeof pipelineQueuesConfig>;
