import { validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsBooleanString, IsOptional, IsString, IsUrl, MinLength } from 'class-validator';

class AwsEnvironment {
  @IsString()
  @MinLength(1)
  AWS_REGION!: string;

  /** Set only for the local cloud; in AWS the SDK finds the regional endpoint itself. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  DYNAMODB_ENDPOINT?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  S3_ENDPOINT?: string;

  @IsOptional()
  @IsBooleanString()
  S3_FORCE_PATH_STYLE?: string;
}

export const awsConfig = registerAs('aws', () => {
  const environment = validateEnvironment(AwsEnvironment);
  return {
    region: environment.AWS_REGION,
    dynamodbEndpoint: environment.DYNAMODB_ENDPOINT,
    s3Endpoint: environment.S3_ENDPOINT,
    s3ForcePathStyle: environment.S3_FORCE_PATH_STYLE === 'true',
  };
});

export type AwsConfig = ReturnType<typeof awsConfig>;
