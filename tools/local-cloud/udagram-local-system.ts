import { classifierFunctionDefinition, ensureClassifierBuilt, LambdaEmulator } from '@app/lambda-emulator';
import {
  startDynamoDbStreamPoller,
  startLocalCloud,
  startSqsQueueEmulator,
  type DynamoDbStreamPoller,
  type LocalCloud,
  type S3Notification,
  type SqsQueueEmulator,
} from '@app/local-cloud';
import { NOTIFIER_STREAM_SETTINGS } from '@app/notifications';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startWebSocketGatewayEmulator, type WebSocketGatewayEmulator } from '@app/websocket-gateway-emulator';
import { resolve } from 'node:path';
import { repositoryRoot } from '../repository-root.js';
import { udagramCloudResources } from './udagram-cloud.js';

/** The prefix S3 notifies the upload handler for (the same filter as in serverless.ts). */
export const UPLOADS_PREFIX = 'images/';

export interface UdagramLocalSystemOptions {
  dataDir?: string;
  inMemory?: boolean;
  corsOrigins?: string[];
  /** Runtime processes of the classifier (one invocation at a time each). */
  classifierConcurrency?: number;
  log: (line: string) => void;
}

/** Everything Udagram runs on locally, and the environment that points the API at it. */
export interface UdagramLocalSystem {
  env: Record<string, string>;
  cloud: LocalCloud;
  lambda: LambdaEmulator;
  deadLetters: SqsQueueEmulator;
  /** The WebSocket API: its routes run the real $connect/$disconnect/subscribe/unsubscribe handlers. */
  webSocket: WebSocketGatewayEmulator;
  /** The notifier's event source mapping: the images table's stream, filtered, to the real notifier handler. */
  imageChanges: DynamoDbStreamPoller;
  /** Delivers S3 ObjectCreated notifications under `images/` to the upload handler, as S3 → Lambda does in AWS. */
  routeUploadsTo(handler: (event: S3Notification) => Promise<void>): void;
  stop(): Promise<void>;
}

/**
 * Starts the local cloud, the Lambda emulator running the real C++ classifier (built first when missing or older
 * than its sources) and a dead-letter queue — the one composition used by `npm start`, the e2e set-up and benches.
 */
export async function startUdagramLocalSystem(options: UdagramLocalSystemOptions): Promise<UdagramLocalSystem> {
  const { log } = options;
  const resources = udagramCloudResources();
  const classifierName = process.env.CLASSIFIER_FUNCTION_NAME ?? 'udagram-classifier';
  const root = repositoryRoot();
  const modelDir = resolve(root, process.env.MODEL_DIR ?? '../shared/models/squeezenet-dc');

  const [bootstrapPath, cloud] = await Promise.all([
    ensureClassifierBuilt(root, log),
    startLocalCloud({
      dataDir: options.dataDir,
      inMemory: options.inMemory,
      tables: resources.tables,
      bucket: resources.bucket,
      corsOrigins: options.corsOrigins,
      log,
    }),
  ]);
  const stops: (() => Promise<void>)[] = [() => cloud.stop()];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne();
  };
  try {
    const lambda = new LambdaEmulator({
      functions: [
        classifierFunctionDefinition({
          name: classifierName,
          bootstrapPath,
          modelDir,
          concurrency: options.classifierConcurrency ?? 2,
        }),
      ],
      log,
    });
    await lambda.start();
    stops.push(() => lambda.stop());
    log(`Lambda emulator on ${lambda.endpoint} (function ${classifierName}: classifier-cpp with ${modelDir})`);

    const deadLetters = await startSqsQueueEmulator('udagram-upload-dead-letters', (message) =>
      log(`Dead letter: ${message.body}`),
    );
    stops.push(() => deadLetters.stop());
    log(`Dead-letter queue on ${deadLetters.queueUrl}`);

    const webSocket = await startWebSocketGateway(log);
    stops.push(() => webSocket.stop());

    const imageChanges = await startNotifierStream(cloud, resources.env.IMAGES_TABLE, log);
    stops.push(() => imageChanges.stop());

    const env = {
      ...cloud.env,
      ...resources.env,
      LAMBDA_ENDPOINT: lambda.endpoint,
      CLASSIFIER_FUNCTION_NAME: classifierName,
      SQS_ENDPOINT: deadLetters.endpoint,
      DEAD_LETTER_QUEUE_URL: deadLetters.queueUrl,
      WEBSOCKET_MANAGEMENT_ENDPOINT: webSocket.managementEndpoint,
      WEBSOCKET_URL: webSocket.websocketUrl,
    };
    return {
      env,
      cloud,
      lambda,
      deadLetters,
      webSocket,
      imageChanges,
      routeUploadsTo(handler) {
        cloud.s3Events.on('event', (notification: S3Notification) => {
          const uploads = notification.Records.filter((record) => record.s3.object.key.startsWith(UPLOADS_PREFIX));
          if (uploads.length === 0) return;
          handler({ ...notification, Records: uploads }).catch((error: unknown) => {
            log(`Upload handler failed: ${error instanceof Error ? error.message : String(error)}`);
          });
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The WebSocket API, emulated: its $connect, $disconnect, subscribe and unsubscribe routes run the real Lambda
 * handlers (which read their configuration on first use, once the caller has put `env` in process.env), and the
 * notifier reaches its clients through WEBSOCKET_MANAGEMENT_ENDPOINT.
 */
async function startWebSocketGateway(log: (line: string) => void): Promise<WebSocketGatewayEmulator> {
  const { connect, disconnect, subscribe, unsubscribe } = await import('../../apps/api/src/websocket-lambda.js');
  return startWebSocketGatewayEmulator({
    onConnect: (_connectionId, event) => connect(event),
    onDisconnect: (_connectionId, event) => disconnect(event),
    routes: { subscribe: (_connectionId, event) => subscribe(event), unsubscribe: (_connectionId, event) => unsubscribe(event) },
    log: (line) => log(`[websocket] ${line}`),
  });
}

/**
 * The images table's stream feeding the real notifier handler with the mapping's filter, batch size and retries
 * (as in serverless.ts). The handler, too, reads its configuration on its first batch.
 */
async function startNotifierStream(cloud: LocalCloud, imagesTable: string, log: (line: string) => void): Promise<DynamoDbStreamPoller> {
  const { handler } = await import('../../apps/api/src/notifier-lambda.js');
  const dynamoDb = new DynamoDBClient({
    region: cloud.env.AWS_REGION,
    endpoint: cloud.env.DYNAMODB_ENDPOINT,
    credentials: { accessKeyId: cloud.env.AWS_ACCESS_KEY_ID!, secretAccessKey: cloud.env.AWS_SECRET_ACCESS_KEY! },
  });
  try {
    const poller = await startDynamoDbStreamPoller({
      dynamoDb,
      tableName: imagesTable,
      filterPatterns: NOTIFIER_STREAM_SETTINGS.filterPatterns,
      batchSize: NOTIFIER_STREAM_SETTINGS.batchSize,
      maximumRetryAttempts: NOTIFIER_STREAM_SETTINGS.maximumRetryAttempts,
      handler: (event) => handler(event),
      log: (line) => log(`[notifier] ${line}`),
    });
    return {
      streamArn: poller.streamArn,
      async stop() {
        await poller.stop();
        dynamoDb.destroy();
      },
    };
  } catch (error) {
    dynamoDb.destroy();
    throw error;
  }
}
