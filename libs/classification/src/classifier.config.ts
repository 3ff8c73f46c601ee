import { validateEnvironment } from '@app/config';
import { registerAs, type ConfigType } from '@nestjs/config';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

class ClassifierEnvironment {
  @IsString()
  @MinLength(1)
  AWS_REGION!: string;

  /** A function name, `name:alias`, or an ARN (what Invoke accepts as FunctionName). */
  @IsOptional()
  @Matches(/^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/, {
    message: 'CLASSIFIER_FUNCTION_NAME must be a Lambda function name or ARN',
  })
  CLASSIFIER_FUNCTION_NAME?: string;

  /** Set only for the local cloud (the Lambda emulator); in AWS the SDK finds the regional endpoint itself. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  LAMBDA_ENDPOINT?: string;

  /** Per attempt. */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(900_000)
  CLASSIFIER_TIMEOUT_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  CLASSIFIER_MAX_ATTEMPTS?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  CLASSIFIER_RETRY_BASE_DELAY_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(300_000)
  CLASSIFIER_RETRY_MAX_DELAY_MS?: number;
}

export const classifierConfig = registerAs('classifier', () => {
  const environment = validateEnvironment(ClassifierEnvironment);
  return {
    region: environment.AWS_REGION,
    functionName: environment.CLASSIFIER_FUNCTION_NAME ?? 'udagram-classifier',
    endpoint: environment.LAMBDA_ENDPOINT,
    timeoutMs: environment.CLASSIFIER_TIMEOUT_MS ?? 30_000,
    retry: {
      maxAttempts: environment.CLASSIFIER_MAX_ATTEMPTS ?? 3,
      baseDelayMs: environment.CLASSIFIER_RETRY_BASE_DELAY_MS ?? 200,
      maxDelayMs: environment.CLASSIFIER_RETRY_MAX_DELAY_MS ?? 5_000,
    },
  };
});

export type ClassifierConfig = ConfigType<typeof classifierConfig>;
