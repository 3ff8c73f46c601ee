import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

class LabellingEnvironment {
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
    maxReceiveCount: environment.CLASSIFICATION_MAX_RECEIVE_COUNT ?? 5,
    thumbnailMaxSourceBytes: environment.THUMBNAIL_MAX_SOURCE_BYTES ?? 15 * 1024 * 1024,
    topK: 5,
  };
});

export type LabellingConfig = ReturnType<typeof labellingConfig>;
