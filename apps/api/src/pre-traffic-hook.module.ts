import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { Module, type FactoryProvider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { PreTrafficHook } from './pre-traffic-hook.js';
import { preTrafficHookConfig, type PreTrafficHookConfig } from './pre-traffic-hook.config.js';

/** Region only: credentials come from the hook's execution role. */
const regionalClient = <Client>(provide: new (options: { region: string }) => Client): FactoryProvider<Client> => ({
  provide,
  inject: [preTrafficHookConfig.KEY],
  useFactory: (config: PreTrafficHookConfig) => new provide({ region: config.region }),
});

/** CodeDeploy's pre-traffic hook: the checks of a new release before it gets traffic. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }),
    ConfigModule.forFeature(preTrafficHookConfig),
  ],
  providers: [regionalClient(LambdaClient), regionalClient(S3Client), regionalClient(CodeDeployClient), PreTrafficHook],
})
export class PreTrafficHookModule {}
