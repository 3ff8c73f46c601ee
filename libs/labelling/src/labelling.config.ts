import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';

class LabellingEnvironment {
  /**
   * How long a classification run may hold an image before another run may take it over: above a run's longest
   * (3 classifier attempts of ≤ 15 s with back-off), below the 2nd of Lambda's async retries (~3 min).
   */
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(3600)
  CLASSIFICATION_CLAIM_TIMEOUT_SECONDS?: number;

  /** A PENDING image with no photo after this long is reported FAILED (UploadMissing) by the backfill. */
  @IsOptional()
  @IsInt()
  @Min(300)
  @Max(7 * 24 * 3600)
  PENDING_UPLOAD_MAX_AGE_SECONDS?: number;

  /** Where events whose classification could not be completed go (an SQS queue URL). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  DEAD_LETTER_QUEUE_URL?: string;

  /** Set only for the local cloud. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SQS_ENDPOINT?: string;

  /** Photos larger than this are not thumbnailed (the classifier refuses them too). */
  @IsOptional()
  @IsInt()
  @Min(1024)
  THUMBNAIL_MAX_SOURCE_BYTES?: number;
}

export const labellingConfig = registerAs('labelling', () => {
  const environment = validateEnvironment(LabellingEnvironment);
  return {
    claimTimeoutSeconds: environment.CLASSIFICATION_CLAIM_TIMEOUT_SECONDS ?? 90,
    pendingUploadMaxAgeSeconds: environment.PENDING_UPLOAD_MAX_AGE_SECONDS ?? 900,
    deadLetterQueueUrl: environment.DEAD_LETTER_QUEUE_URL,
    sqsEndpoint: environment.SQS_ENDPOINT,
    thumbnailMaxSourceBytes: environment.THUMBNAIL_MAX_SOURCE_BYTES ?? 15 * 1024 * 1024,
    topK: 5,
  };
});

export type LabellingConfig = ReturnType<typeof labellingConfig>;
