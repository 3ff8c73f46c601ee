import { describeError } from '@app/errors';
import { classifierFunctionDefinition, ensureClassifierBuilt, LambdaEmulator } from '@dev/lambda-emulator';
import {
  startDynamoDbStreamPoller,
  startLocalCloud,
  startSqsEmulator,
  startSqsEventSourceMapping,
  type DynamoDbStreamPoller,
  type LocalCloud,
  type S3Notification,
  type SqsEmulator,
  type SqsEventSourceMapping,
  type SqsHandler,
} from '@dev/local-cloud';
import { NOTIFIER_STREAM_SETTINGS } from '@app/notifications';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { startWebSocketGatewayEmulator, type WebSocketGatewayEmulator } from '@dev/websocket-gateway-emulator';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { repositoryRoot } from '../repository-root.js';
import { EMULATOR_LOGS, localLogDirectory, LocalLogFiles } from './local-log-files.js';
import { udagramCloudResources } from './udagram-cloud.js';

/** The prefix S3 notifies the pipeline for (the same filter as in serverless.ts). */
export const UPLOADS_PREFIX = 'images/';

/**
 * The pipeline's queues and mappings as serverless.ts declares them (names, batch size, maxReceiveCount); only
 * the visibility timeouts are shorter by default, so a failed message comes back in seconds, not minutes, and the
 * concurrency fits one machine. A batching window of 0: locally nothing is gained by waiting.
 */
export const LOCAL_PIPELINE = {
  classification: {
    queue: 'udagram-classification',
    deadLetterQueue: 'udagram-classification-dead-letters',
    maxReceiveCount: 5,
  },
  thumbnails: { queue: 'udagram-thumbnails', deadLetterQueue: 'udagram-thumbnails-dead-letters', maxReceiveCount: 3 },
  batchSize: 10,
} as const;

export interface PipelineQueueSettings {
  /** Default 30 s locally (240 s and 180 s in AWS). */
  visibilityTimeoutSeconds?: number;
  /** Concurrent worker invocations per queue (default 2). */
  maximumConcurrency?: number;
}

export interface UdagramLocalSystemOptions {
  dataDir?: string;
  inMemory?: boolean;
  corsOrigins?: string[];
  /** Runtime processes of the classifier (one invocation at a time each). */
  classifierConcurrency?: number;
  pipeline?: PipelineQueueSettings;
  /** The system's progress (what starts where); the components' own lines go to `logs`. */
  log: (line: string) => void;
  /** Where each component writes its lines (default: `.local/logs`, or UDAGRAM_LOG_DIR). */
  logs?: LocalLogFiles;
}

/** Everything Udagram runs on locally, and the environment that points the API at it. */
export interface UdagramLocalSystem {
  env: Record<string, string>;
  cloud: LocalCloud;
  lambda: LambdaEmulator;
  /** The classification and thumbnail queues and their dead-letter queues. */
  queues: SqsEmulator;
  /** The WebSocket API: its routes run the real $connect/$disconnect/subscribe/unsubscribe handlers. */
  webSocket: WebSocketGatewayEmulator;
  /** The notifier's event source mapping: the images table's stream, filtered, to the real notifier handler. */
  imageChanges: DynamoDbStreamPoller;
  /**
   * Runs the queue workers as Lambda's event source mappings do (batches, a concurrency cap, partial batch failures).
   * S3's uploads under `images/` reach both queues from the start, as the SNS fan-out delivers them in AWS.
   */
  startWorkers(handlers: { classification: SqsHandler; thumbnails: SqsHandler }): void;
  stop(): Promise<void>;
}

/**
 * Starts the local cloud, the Lambda emulator running the real C++ classifier (built first when missing or older
 * than its sources), the pipeline's queues fed by S3's upload events, and the WebSocket gateway — the one
 * composition used by `npm start`, the e2e set-up, the load suite and the benches.
 */
export async function startUdagramLocalSystem(options: UdagramLocalSystemOptions): Promise<UdagramLocalSystem> {
  const { log } = options;
  const root = repositoryRoot();
  const logs = options.logs ?? new LocalLogFiles(localLogDirectory(root));
  const resources = udagramCloudResources();
  const classifierName = process.env.CLASSIFIER_FUNCTION_NAME ?? 'udagram-classifier';
  const modelDir = resolve(root, process.env.MODEL_DIR ?? '../shared/models/squeezenet-dc');

  const [bootstrapPath, cloud] = await Promise.all([
    ensureClassifierBuilt(root, log),
    startLocalCloud({
      dataDir: options.dataDir,
      inMemory: options.inMemory,
      tables: resources.tables,
      bucket: resources.bucket,
      corsOrigins: options.corsOrigins,
      log: logs.textWriter(EMULATOR_LOGS.localCloud),
      dynamoDbOutput: logs.outputWriter(EMULATOR_LOGS.dynamoDbLocal),
    }),
  ]);
  const stops: (() => Promise<void>)[] = [() => cloud.stop()];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne();
  };
  try {
    const classifierOutput = logs.outputWriter(EMULATOR_LOGS.classifier);
    const lambda = new LambdaEmulator({
      functions: [
        classifierFunctionDefinition({
          name: classifierName,
          bootstrapPath,
          modelDir,
          concurrency: options.classifierConcurrency ?? 2,
        }),
      ],
      log: logs.textWriter(EMULATOR_LOGS.lambdaEmulator),
      functionOutput: (_functionName, line) => classifierOutput(line),
    });
    await lambda.start();
    stops.push(() => lambda.stop());
    log(`Lambda emulator on ${lambda.endpoint} (function ${classifierName}: classifier-cpp with ${modelDir})`);

    const settings = options.pipeline ?? {};
    const visibilityTimeoutSeconds = settings.visibilityTimeoutSeconds ?? 30;
    const queues = await startSqsEmulator({
      queues: [LOCAL_PIPELINE.classification, LOCAL_PIPELINE.thumbnails].flatMap((pipeline) => [
        { name: pipeline.deadLetterQueue },
        {
          name: pipeline.queue,
          visibilityTimeoutSeconds,
          deadLetter: { queueName: pipeline.deadLetterQueue, maxReceiveCount: pipeline.maxReceiveCount },
        },
      ]),
      onMessage: (queueName, message) => {
        if (queueName.endsWith('-dead-letters')) log(`Dead letter in ${queueName}: ${message.body.slice(0, 300)}`);
      },
    });
    stops.push(() => queues.stop());
    log(
      `SQS on ${queues.endpoint}: ${[LOCAL_PIPELINE.classification, LOCAL_PIPELINE.thumbnails]
        .flatMap((p) => [p.queue, p.deadLetterQueue])
        .map((name) => queues.queueUrl(name))
        .join(', ')}`,
    );
    const fanOut = uploadsFanOut(queues, logs.textWriter(EMULATOR_LOGS.sqs));
    stops.push(async () => fanOut.destroy());
    cloud.s3Events.on('event', (notification: S3Notification) => fanOut.deliver(notification));

    const webSocket = await startWebSocketGateway(logs.textWriter(EMULATOR_LOGS.webSocketGateway));
    stops.push(() => webSocket.stop());

    const notifierStreamLog = logs.textWriter(EMULATOR_LOGS.notifierStream);
    const imageChanges = await startNotifierStream(cloud, resources.env.IMAGES_TABLE, notifierStreamLog);
    stops.push(() => imageChanges.stop());

    const env = {
      ...cloud.env,
      ...resources.env,
      LAMBDA_ENDPOINT: lambda.endpoint,
      CLASSIFIER_FUNCTION_NAME: classifierName,
      SQS_ENDPOINT: queues.endpoint,
      CLASSIFICATION_QUEUE_URL: queues.queueUrl(LOCAL_PIPELINE.classification.queue),
      CLASSIFICATION_DEAD_LETTER_QUEUE_URL: queues.queueUrl(LOCAL_PIPELINE.classification.deadLetterQueue),
      THUMBNAIL_QUEUE_URL: queues.queueUrl(LOCAL_PIPELINE.thumbnails.queue),
      THUMBNAIL_DEAD_LETTER_QUEUE_URL: queues.queueUrl(LOCAL_PIPELINE.thumbnails.deadLetterQueue),
      CLASSIFICATION_MAX_RECEIVE_COUNT: String(LOCAL_PIPELINE.classification.maxReceiveCount),
      // A claim left by a run that could not hand it back (DynamoDB failing under it) must go stale within the message's
      // deliveries, or every one of them finds the image held and the message dead-letters (again after a redrive).
      // AWS: 90 s against a 240 s visibility timeout. Here the visibility timeout is seconds, so the claim timeout
      // follows it: a left claim is stale by the second delivery after it, of 5.
      CLASSIFICATION_CLAIM_TIMEOUT_SECONDS: String(visibilityTimeoutSeconds),
      WEBSOCKET_MANAGEMENT_ENDPOINT: webSocket.managementEndpoint,
      WEBSOCKET_URL: webSocket.websocketUrl,
      // The functions' StructuredLoggers write JSON lines there, one file per service.
      UDAGRAM_LOG_DIR: logs.directory,
    };
    return {
      env,
      cloud,
      lambda,
      queues,
      webSocket,
      imageChanges,
      startWorkers(handlers) {
        for (const [name, handler] of [
          ['classification', handlers.classification],
          ['thumbnails', handlers.thumbnails],
        ] as const) {
          const mapping: SqsEventSourceMapping = startSqsEventSourceMapping({
            functionName: `${name}-worker`,
            endpoint: queues.endpoint,
            queueUrl: queues.queueUrl(LOCAL_PIPELINE[name].queue),
            queueArn: queues.queueArn(LOCAL_PIPELINE[name].queue),
            handler,
            batchSize: LOCAL_PIPELINE.batchSize,
            maximumConcurrency: settings.maximumConcurrency ?? 2,
            log: logs.textWriter(EMULATOR_LOGS.sqs),
          });
          // Before the queues stop (stops run in reverse).
          stops.push(() => mapping.stop());
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The queue workers' Lambda handlers, exactly as AWS runs them (they read their configuration on first use, once
 * the caller has put `env` in process.env).
 */
export async function pipelineWorkerHandlers(): Promise<{ classification: SqsHandler; thumbnails: SqsHandler }> {
  const [classification, thumbnails] = await Promise.all([
    import('../../apps/api/src/classification-worker-lambda.js'),
    import('../../apps/api/src/thumbnail-worker-lambda.js'),
  ]);
  return { classification: classification.handler, thumbnails: thumbnails.handler };
}

/**
 * What S3 → SNS → SQS does in AWS: each upload under images/ becomes one message, S3's own event with that record
 * (raw delivery), in both the classification and the thumbnail queue.
 */
function uploadsFanOut(queues: SqsEmulator, log: (line: string) => void) {
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: queues.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    deliver(notification: S3Notification): void {
      // As the bucket's notification in serverless.ts: ObjectCreated under images/ only.
      const uploads = notification.Records.filter(
        (record) => record.eventName.startsWith('ObjectCreated') && record.s3.object.key.startsWith(UPLOADS_PREFIX),
      );
      if (uploads.length === 0) return;
      const entries = uploads.map((record, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify({ Records: [record] }),
      }));
      for (const queue of [LOCAL_PIPELINE.classification.queue, LOCAL_PIPELINE.thumbnails.queue]) {
        sqs
          .send(new SendMessageBatchCommand({ QueueUrl: queues.queueUrl(queue), Entries: entries }))
          .catch((error: unknown) => {
            log(`Upload notification not queued on ${queue}: ${describeError(error)}`);
          });
      }
    },
    destroy: () => sqs.destroy(),
  };
}

/**
 * The WebSocket API, emulated: its $connect, $disconnect, subscribe and unsubscribe routes run the real Lambda
 * handlers (which read their configuration on first use, once the caller has put `env` in process.env), and the
 * notifier reaches its clients through WEBSOCKET_MANAGEMENT_ENDPOINT.
 */
async function startWebSocketGateway(log: (line: string) => void): Promise<WebSocketGatewayEmulator> {
  // The all-routes handler, with a context as Lambda gives each invocation: its lines carry the request id.
  const { handler } = await import('../../apps/api/src/websocket-lambda.js');
  const invoke = (event: Parameters<typeof handler>[0]) => handler(event, localInvocationContext('udagram-websocket'));
  return startWebSocketGatewayEmulator({
    onConnect: (_connectionId, event) => invoke(event),
    onDisconnect: (_connectionId, event) => invoke(event),
    routes: {
      subscribe: (_connectionId, event) => invoke(event),
      unsubscribe: (_connectionId, event) => invoke(event),
    },
    log: (line) => log(`[websocket] ${line}`),
  });
}

/**
 * The images table's stream feeding the real notifier handler with the mapping's filter, batch size and retries
 * (as in serverless.ts). The handler, too, reads its configuration on its first batch.
 */
async function startNotifierStream(
  cloud: LocalCloud,
  imagesTable: string,
  log: (line: string) => void,
): Promise<DynamoDbStreamPoller> {
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
      // A context as Lambda gives each invocation: the notifier's lines carry its request id.
      handler: (event) => handler(event, localInvocationContext('udagram-notifier')),
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

/** A Lambda context for one invocation of an in-process function (no deadline here). */
function localInvocationContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Number.POSITIVE_INFINITY,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
