import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches, MinLength } from 'class-validator';

const VERSION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}:\d+$/;

class PreTrafficHookEnvironment {
  @IsString()
  @MinLength(1)
  AWS_REGION!: string;

  /** The classifier's new version (its ARN with the version number): the one the canary is about to send traffic to. */
  @Matches(VERSION_ARN, { message: 'CLASSIFIER_VERSION_ARN must be a Lambda function version ARN' })
  CLASSIFIER_VERSION_ARN!: string;

  /** The HTTP API function's new version. */
  @Matches(VERSION_ARN, { message: 'API_VERSION_ARN must be a Lambda function version ARN' })
  API_VERSION_ARN!: string;

  @IsString()
  @MinLength(3)
  IMAGES_BUCKET!: string;

  /** The known photo, put there once per stage (docs/DEPLOY.md). */
  @IsOptional()
  @Matches(/^deploy-checks\/[A-Za-z0-9._-]+$/, { message: 'KNOWN_PHOTO_KEY must be a key under deploy-checks/' })
  KNOWN_PHOTO_KEY?: string;

  /** A word of the label the classifier must give the known photo (its class names are lower case). */
  @IsString()
  @MinLength(2)
  KNOWN_PHOTO_LABEL!: string;
}

export const preTrafficHookConfig = registerAs('preTrafficHook', () => {
  const environment = validateEnvironment(PreTrafficHookEnvironment);
  return {
    region: environment.AWS_REGION,
    classifierVersionArn: environment.CLASSIFIER_VERSION_ARN,
    apiVersionArn: environment.API_VERSION_ARN,
    imagesBucket: environment.IMAGES_BUCKET,
    knownPhotoKey: environment.KNOWN_PHOTO_KEY ?? 'deploy-checks/known-photo.jpg',
    knownPhotoLabel: environment.KNOWN_PHOTO_LABEL.toLowerCase(),
  };
});

export type PreTrafficHookConfig = ReturnType<typeof preTrafficHookConfig>;
