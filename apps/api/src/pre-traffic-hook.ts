import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { preTrafficHookConfig, type PreTrafficHookConfig } from './pre-traffic-hook.config.js';

/** What CodeDeploy sends a lifecycle hook. */
export interface LifecycleHookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export type HookStatus = 'Succeeded' | 'Failed';

/** How long the classifier may take with the known photo, and the presigned GET it downloads it with. */
const PHOTO_URL_SECONDS = 300;

/**
 * CodeDeploy's BeforeAllowTraffic hook of every deployment group (tools/deploy/safe-deploys.ts): before any traffic
 * reaches a new release it classifies the known photo through the classifier's new version and asks the API's new
 * version for /health (invoked directly, as API Gateway would, since API Gateway still routes to the old one). Any
 * failure, or an answer other than the expected one, reports Failed and CodeDeploy rolls the alias back.
 */
@Injectable()
export class PreTrafficHook {
  private readonly logger = new Logger(PreTrafficHook.name);

  constructor(
    @Inject(LambdaClient) private readonly lambda: LambdaClient,
    @Inject(S3Client) private readonly s3: S3Client,
    @Inject(CodeDeployClient) private readonly codeDeploy: CodeDeployClient,
    @Inject(preTrafficHookConfig.KEY) private readonly config: PreTrafficHookConfig,
  ) {}

  async run(event: LifecycleHookEvent): Promise<HookStatus> {
    const problems = (await Promise.all([this.checkClassifier(), this.checkApiHealth()])).filter(
      (problem) => problem !== undefined,
    );
    const status: HookStatus = problems.length === 0 ? 'Succeeded' : 'Failed';
    if (status === 'Failed')
      this.logger.error(`Deployment ${event.DeploymentId}: pre-traffic checks failed: ${problems.join('; ')}`);
    else this.logger.log(`Deployment ${event.DeploymentId}: the new classifier and API versions passed`);
    await this.codeDeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status,
      }),
    );
    return status;
  }

  /** The problem, or undefined when the new classifier labels the known photo as expected. */
  private async checkClassifier(): Promise<string | undefined> {
    try {
      const { imagesBucket, knownPhotoKey, knownPhotoLabel, classifierVersionArn } = this.config;
      const imageUrl = await getSignedUrl(this.s3, new GetObjectCommand({ Bucket: imagesBucket, Key: knownPhotoKey }), {
        expiresIn: PHOTO_URL_SECONDS,
      });
      const answer = await this.invoke(classifierVersionArn, { imageUrl, topK: 1 });
      if (answer.functionError !== undefined) return `classifier ${answer.functionError}: ${answer.text.slice(0, 200)}`;
      const label = (JSON.parse(answer.text) as { label?: unknown }).label;
      if (typeof label !== 'string' || !label.toLowerCase().includes(knownPhotoLabel)) {
        return `classifier labelled the known photo ${JSON.stringify(label)}, expected "${knownPhotoLabel}"`;
      }
      return undefined;
    } catch (error) {
      return `classifier not checked: ${describe(error)}`;
    }
  }

  /** The problem, or undefined when the new API version answers GET /health with 200. */
  private async checkApiHealth(): Promise<string | undefined> {
    try {
      const answer = await this.invoke(this.config.apiVersionArn, healthRequest());
      if (answer.functionError !== undefined) return `API ${answer.functionError}: ${answer.text.slice(0, 200)}`;
      const { statusCode, body } = JSON.parse(answer.text) as { statusCode?: number; body?: string };
      return statusCode === 200 ? undefined : `API /health answered ${statusCode}: ${String(body).slice(0, 200)}`;
    } catch (error) {
      return `API not checked: ${describe(error)}`;
    }
  }

  private async invoke(functionArn: string, payload: unknown): Promise<{ text: string; functionError?: string }> {
    const response = await this.lambda.send(
      new InvokeCommand({ FunctionName: functionArn, Payload: JSON.stringify(payload) }),
    );
    return {
      text: new TextDecoder().decode(response.Payload ?? new Uint8Array()),
      functionError: response.FunctionError,
    };
  }
}

/** GET /health as API Gateway's HTTP API (payload 2.0) delivers it. */
export function healthRequest() {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/health',
    rawQueryString: '',
    headers: { host: 'pre-traffic-hook', 'user-agent': 'udagram-pre-traffic-hook' },
    requestContext: {
      accountId: 'pre-traffic-hook',
      apiId: 'pre-traffic-hook',
      domainName: 'pre-traffic-hook',
      domainPrefix: 'pre-traffic-hook',
      http: {
        method: 'GET',
        path: '/health',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'udagram-pre-traffic-hook',
      },
      requestId: `pre-traffic-${now.getTime()}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
