import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

class LabellingEnvironment {
  /**
   * How long a classification run may hold an image before another run may take it over: above a run's longest
   * (the classifier's attempts with back-off, ≈ 34 s in AWS), below the queue's visibility timeout (240 s), so
   * the next delivery of a crashed run's message finds the claim stale.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  CLASSIFICATION_CLAIM_TIMEOUT_SECONDS?: number;

  /**
   * The classification queue's RedrivePolicy.maxReceiveCount: on that delivery a transient failure is recorded on
   * the image (FAILED, or kept labels with the attempt's failure) before the message goes to the dead-letter queue.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  CLASSIFICATION_MAX_RECEIVE_COUNT?: number;

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
    maxReceiveCount: environment.CLASSIFICATION_MAX_RECEIVE_COUNT ?? 5,
    thumbnailMaxSourceBytes: environment.THUMBNAIL_MAX_SOURCE_BYTES ?? 15 * 1024 * 1024,
    topK: 5,
  };
});

export type LabellingConfig = ReturnType<typeof labellingConfig>;
