import { InvalidConfigurationError, validateEnvironment } from '@app/config';
import { registerAs } from '@nestjs/config';
import { IsBooleanString, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

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

  /** Attempts the SDK makes per DynamoDB request on throttling, 5xx and network errors (its standard mode). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  DYNAMODB_MAX_ATTEMPTS?: number;

  /** Attempts of a transaction cancelled by conflicts or throttling, and rounds of a BatchGet with unprocessed keys. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  DYNAMODB_RETRY_MAX_ATTEMPTS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000)
  DYNAMODB_RETRY_BASE_DELAY_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5_000)
  DYNAMODB_RETRY_MAX_DELAY_MS?: number;

  /** No retry starts once this much time has passed since the first attempt (well inside the API's 29 s limit). */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(20_000)
  DYNAMODB_RETRY_BUDGET_MS?: number;
}

export const awsConfig = registerAs('aws', () => {
  const environment = validateEnvironment(AwsEnvironment);
  const dynamoDbRetry = {
    maxAttempts: environment.DYNAMODB_RETRY_MAX_ATTEMPTS ?? 5,
    baseDelayMs: environment.DYNAMODB_RETRY_BASE_DELAY_MS ?? 25,
    maxDelayMs: environment.DYNAMODB_RETRY_MAX_DELAY_MS ?? 400,
    budgetMs: environment.DYNAMODB_RETRY_BUDGET_MS ?? 2_000,
  };
  if (dynamoDbRetry.maxDelayMs < dynamoDbRetry.baseDelayMs) {
    throw new InvalidConfigurationError(
      'Invalid configuration: DYNAMODB_RETRY_MAX_DELAY_MS must not be less than DYNAMODB_RETRY_BASE_DELAY_MS',
    );
  }
  return {
    region: environment.AWS_REGION,
    dynamodbEndpoint: environment.DYNAMODB_ENDPOINT,
    s3Endpoint: environment.S3_ENDPOINT,
    s3ForcePathStyle: environment.S3_FORCE_PATH_STYLE === 'true',
    dynamoDbMaxAttempts: environment.DYNAMODB_MAX_ATTEMPTS ?? 3,
    dynamoDbRetry,
  };
});

export type AwsConfig = ReturnType<typeof awsConfig>;
export type RetryBudget = AwsConfig['dynamoDbRetry'];
