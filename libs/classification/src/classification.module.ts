import { systemRetryTiming } from '@app/aws';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CLASSIFIER_LAMBDA_CLIENT, RETRY_TIMING } from './classification.constants.js';
import { classifierConfig } from './classifier.config.js';
import { ClassifierClient } from './classifier-client.js';
import { classifierLambdaClientProvider } from './classifier-lambda-client.provider.js';

/** The image classifier (a Lambda function), behind ClassifierClient. */
@Module({
  imports: [ConfigModule.forFeature(classifierConfig)],
  providers: [classifierLambdaClientProvider, { provide: RETRY_TIMING, useValue: systemRetryTiming }, ClassifierClient],
  exports: [ClassifierClient],
})
export class ClassificationModule implements OnApplicationShutdown {
  constructor(@Inject(CLASSIFIER_LAMBDA_CLIENT) private readonly lambda: LambdaClient) {}

  onApplicationShutdown(): void {
    this.lambda.destroy();
  }
}
