import { describeError } from '@app/errors';
import { Backfill, PipelineQueuesModule } from '@app/pipeline-queues';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InjectedFault } from '@dev/lambda-emulator';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { SqsHandler } from '@dev/local-cloud';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp } from '../../apps/api/src/configure-app.js';
import {
  LOCAL_PIPELINE,
  pipelineWorkerHandlers,
  startUdagramLocalSystem,
  type UdagramLocalSystem,
} from '../local-cloud/udagram-local-system.js';
import { redriveDeadLetters } from '../redrive/redrive-dead-letters.js';
import { fixturesDirectory } from '../test/fixtures.js';
import { DetailLogger } from './detail-logger.js';
import { injectDynamoDbFaults } from './dynamodb-fault-injection.js';
import { faultForInvocation } from './fault-schedule.js';
import { auditImages, type CreatedImage } from './image-audit.js';
import { startInvokeProxy } from './invoke-proxy.js';
import type { LoadOptions } from './load-options.js';
import { loadPhotos, photoForUpload } from './load-photos.js';
import { readAndDelete } from './reads-and-deletes.js';
import type { LoadReport, OutageWindow } from './load-report.js';
import { RecordingApiClient } from './recording-api-client.js';
import { runConcurrently } from './run-concurrently.js';
import { readStoredState } from './stored-state.js';

export interface LoadRunOptions extends LoadOptions {
  /** Progress, a line per phase. */
  log: (line: string) => void;
  /** The local system's and Nest's own lines (hundreds; for investigating). */
  detail: (line: string) => void;
  /** Aborts the waits and requests (the run's hard deadline); clean-up still runs. */
  signal: AbortSignal;
}

const SETTLE_POLL_MS = 100;

/** Every this many classification worker invocations, one crashes half-way through its batch. */
const CRASH_EVERY_INVOCATIONS = 5;
/** Every this many uploads, S3's event is delivered twice (at-least-once delivery). */
const DUPLICATE_EVERY = 4;
/** Every this many uploads, a superseded re-classification request (an old token) arrives late. */
const OUT_OF_ORDER_EVERY = 6;

/**
 * One load run under faults: a local system with its data in a temporary directory; the API in this process;
 * `images` creations and uploads by `concurrency` clients, through the real path (S3 event → queues → workers
 * polled by the event source mapping emulation); every `faultEvery`-th classifier invocation crashed, timed out or
 * throttled; a worker crash mid-batch every CRASH_EVERY_INVOCATIONS invocations; duplicate and out-of-order
 * deliveries; one message refused until it exceeds maxReceiveCount and goes to the dead-letter queue; DynamoDB Local
 * restarted once when half the images exist. Once the queues are empty: the redrive, then the backfill as an operator
 * runs them, and an audit of DynamoDB. Stops everything and removes the directory. Points process.env at the system
 * (the API and the workers read their config from it); once per process, as the workers keep their first
 * application context, like a Lambda instance.
 */
export async function runFaultsUnderLoad(options: LoadRunOptions): Promise<LoadReport> {
  const { log, detail, signal } = options;
  const runStartedAt = performance.now();
  const clock = () => performance.now() - runStartedAt;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'udagram-load-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // The visibility timeout must outlast a batch (AWS: ≥ 6 × the worker's timeout), else a message still being worked
    // on is delivered again and its receive count climbs; 5 s covers a batch on a busy 2-core machine.
    const system = await startUdagramLocalSystem({ dataDir, log: detail, pipeline: { visibilityTimeoutSeconds: 5 } });
    cleanups.push(() => system.stop());

    const faults: Record<InjectedFault, number> = { crash: 0, timeout: 0, throttle: 0 };
    const classifierName = system.env.CLASSIFIER_FUNCTION_NAME!;
    const proxy = await startInvokeProxy(system.env.LAMBDA_ENDPOINT!, (invocation) => {
      const fault = faultForInvocation(invocation, options.faultEvery);
      if (fault === undefined) return;
      system.lambda.injectFaults(classifierName, fault, 1);
      faults[fault] += 1;
    });
    cleanups.push(() => proxy.stop());
    // DynamoDB Local answers in seconds at this concurrency on a shared machine (AWS: milliseconds), so the retry
    // budget's time limit would measure the machine: here only its attempt limit bounds the retries.
    Object.assign(process.env, system.env, { LAMBDA_ENDPOINT: proxy.endpoint, DYNAMODB_RETRY_BUDGET_MS: '20000' });

    const pipeline = {
      invocations: 0,
      records: 0,
      failedRecords: 0,
      workerCrashes: 0,
      poisoned: { imageId: '', refusals: 0, redriven: false },
    };
    const handlers = await pipelineWorkerHandlers();
    const classification: SqsHandler = async (event, context) => {
      const invocation = ++pipeline.invocations;
      pipeline.records += event.Records.length;
      // The poisoned upload: refused on every delivery until SQS moves it to the dead-letter queue, as a bug fixed before
      // the redrive would. Once redriven, every delivery of it is worked as any other: when the upload also had a
      // duplicate event, one redriven copy finds the image held by the other and is put back, and must not be refused.
      const refused = pipeline.poisoned.redriven
        ? []
        : event.Records.filter(
            (record) =>
              pipeline.poisoned.imageId !== '' &&
              record.body.includes(pipeline.poisoned.imageId) &&
              !record.body.includes('claimToken'),
          );
      pipeline.poisoned.refusals += refused.length;
      const records = event.Records.filter((record) => !refused.includes(record));
      if (invocation % CRASH_EVERY_INVOCATIONS === 0 && records.length > 1) {
        // A crash half-way: the first half was processed, nothing is reported, the whole batch comes back.
        pipeline.workerCrashes += 1;
        await handlers.classification({ Records: records.slice(0, Math.ceil(records.length / 2)) }, context);
        throw new Error('worker crashed mid-batch');
      }
      const response =
        records.length === 0
          ? { batchItemFailures: [] }
          : ((await handlers.classification({ Records: records }, context)) ?? { batchItemFailures: [] });
      const failures = [
        ...response.batchItemFailures,
        ...refused.map((record) => ({ itemIdentifier: record.messageId })),
      ];
      pipeline.failedRecords += failures.length;
      return { batchItemFailures: failures };
    };
    system.startWorkers({ classification, thumbnails: handlers.thumbnails });
    const sqs = new SQSClient({ region: system.env.AWS_REGION, endpoint: system.env.SQS_ENDPOINT });
    cleanups.push(async () => sqs.destroy());
    const deliveries = { duplicated: 0, outOfOrder: 0 };

    const logger = new DetailLogger(detail);
    const api = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, { logger }));
    cleanups.push(() => api.close());
    // The API's own DynamoDB client answers as a throttled DynamoDB would, from the first request to the last.
    const dynamoDbFaults = injectDynamoDbFaults(api.get(DynamoDBDocumentClient), {
      rate: options.dynamoDbFaultPercent / 100,
      seed: 11,
    });
    await api.listen(0, '127.0.0.1');
    const apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    const systemStart = clock();
    log(`Local system and API ready in ${(systemStart / 1000).toFixed(1)} s (data in ${dataDir})`);

    const client = new RecordingApiClient(apiUrl, clock, signal);
    const { identity } = system.cloud;
    const group = await client.post({
      path: '/groups',
      route: 'POST /groups',
      token: await identity.mintToken('load-group-owner'),
      body: { name: 'Faults under load' },
    });
    if (group.status !== 201) throw new Error(`POST /groups answered ${group.status}: ${JSON.stringify(group.body)}`);
    const groupId = (group.body as { newItem: { id: string } }).newItem.id;
    const photos = await loadPhotos(fixturesDirectory());

    const created: CreatedImage[] = [];
    const abandoned: string[] = [];
    const uploadStatuses: Record<number, number> = {};
    let uploaded = 0;
    let outage: Promise<OutageWindow> | undefined;
    const restartAfter = Math.ceil(options.images / 2);
    log(
      `Load: ${options.images} images, ${Math.min(options.concurrency, options.images)} at once; DynamoDB Local restarts after ${restartAfter} exist`,
    );

    await runConcurrently(options.images, options.concurrency, async (index) => {
      const photo = photoForUpload(index, photos);
      const title = `Load ${index}`;
      try {
        // One person per upload, as in real traffic (and each within the API's per-user write budget).
        const answer = await client.postRetryingUnavailable({
          path: `/groups/${groupId}/images`,
          route: 'POST /groups/:groupId/images',
          token: await identity.mintToken(`load-uploader-${index}`),
          body: { title, contentType: photo.contentType },
        });
        if (answer.status !== 201) {
          abandoned.push(`${title}: POST answered ${answer.status}`);
          return;
        }
        const { newItem, uploadUrl } = answer.body as { newItem: { imageId: string }; uploadUrl: string };
        created.push({ imageId: newItem.imageId, title, photo: photo.name, expected: photo.expected });
        if (created.length === restartAfter) {
          outage = restartDynamoDb(system, clock, log);
          outage.catch(() => undefined); // awaited once the uploads are done; a failure must not go unhandled meanwhile
        }
        if (created.length === 1) pipeline.poisoned.imageId = newItem.imageId;
        const put = await fetch(uploadUrl, {
          method: 'PUT',
          body: new Uint8Array(photo.bytes),
          headers: { 'Content-Type': photo.contentType },
          signal,
        });
        uploadStatuses[put.status] = (uploadStatuses[put.status] ?? 0) + 1;
        if (put.ok) uploaded += 1;
        const extra: object[] = [];
        if (put.ok && index % DUPLICATE_EVERY === 1) {
          extra.push({
            Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: `images/${newItem.imageId}` } } }],
          });
          deliveries.duplicated += 1;
        }
        if (put.ok && index % OUT_OF_ORDER_EVERY === 2) {
          extra.push({ imageId: newItem.imageId, claimToken: '00000000-0000-4000-8000-000000000000' });
          deliveries.outOfOrder += 1;
        }
        if (extra.length > 0) {
          const entries = extra.map((body, entry) => ({ Id: String(entry), MessageBody: JSON.stringify(body) }));
          await sqs.send(
            new SendMessageBatchCommand({ QueueUrl: system.env.CLASSIFICATION_QUEUE_URL, Entries: entries }),
          );
        }
      } catch (error) {
        if (signal.aborted) throw error;
        abandoned.push(`${title}: ${describeError(error)}`);
      }
    });
    const outageWindow = await outage;
    const loadEnded = clock();
    log(
      `Creations and uploads done at ${(loadEnded / 1000).toFixed(1)} s: ${created.length} created, ${uploaded} uploaded`,
    );

    // The queues empty (in flight included): nothing more will happen without the redrive and the backfill.
    await drained(system, signal);
    const settled = clock();
    const before = await readStoredState(process.env, groupId);
    const deadLetters = remainingDeadLetters(system).length;
    log(
      `Pipeline settled at ${(settled / 1000).toFixed(1)} s (${pipeline.failedRecords} record(s) put back); ${deadLetters} dead letter(s): redrive, then the backfill`,
    );

    signal.throwIfAborted();
    let redriven = 0;
    pipeline.poisoned.redriven = true;
    for (const queueUrl of [
      system.env.CLASSIFICATION_DEAD_LETTER_QUEUE_URL!,
      system.env.THUMBNAIL_DEAD_LETTER_QUEUE_URL!,
    ]) {
      redriven += (await redriveDeadLetters(sqs, queueUrl, 50)).moved;
    }
    await drained(system, signal);
    const backfill = await runBackfill(logger);
    await drained(system, signal);
    const backfilled = clock();
    const after = await readStoredState(process.env, groupId);

    log(`Reading every image and deleting 1 in 4, ${options.concurrency} at once, under DynamoDB faults`);
    const readsAndDeletes = await readAndDelete({
      client: new RecordingApiClient(apiUrl, clock, signal),
      groupId,
      created,
      records: after.images,
      tokenFor: (index) => identity.mintToken(`load-uploader-${index}`),
      concurrency: options.concurrency,
      s3: { endpoint: system.env.S3_ENDPOINT!, region: system.env.AWS_REGION!, bucket: system.env.IMAGES_BUCKET! },
    });
    const readAndDeleted = clock();
    const afterDeletes = await readStoredState(process.env, groupId);

    return {
      options,
      created: created.length,
      uploaded,
      abandoned,
      apiExchanges: client.exchanges,
      uploadStatuses,
      outage: outageWindow,
      pipeline: {
        invocations: pipeline.invocations,
        records: pipeline.records,
        failedRecords: pipeline.failedRecords,
        workerCrashes: pipeline.workerCrashes,
        duplicated: deliveries.duplicated,
        outOfOrder: deliveries.outOfOrder,
        poisonedRefusals: pipeline.poisoned.refusals,
      },
      classifierInvocations: proxy.invocations(),
      faults,
      beforeBackfill: auditImages(created, before),
      deadLetters: { sent: deadLetters, redriven, left: remainingDeadLetters(system) },
      backfill,
      final: auditImages(created, after),
      dynamoDbFaults,
      readsAndDeletes,
      afterDeletes: auditImages(readsAndDeletes.survivors, afterDeletes),
      timings: {
        systemStart,
        load: loadEnded - systemStart,
        settle: settled - loadEnded,
        backfill: backfilled - settled,
        readsAndDeletes: readAndDeleted - backfilled,
        total: clock(),
      },
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`Clean-up failed: ${describeError(error)}`));
    }
  }
}

async function restartDynamoDb(
  system: UdagramLocalSystem,
  clock: () => number,
  log: (line: string) => void,
): Promise<OutageWindow> {
  const startedAt = clock();
  log(`DynamoDB Local restart begins at ${(startedAt / 1000).toFixed(2)} s`);
  await system.cloud.restartDynamoDb();
  const endedAt = clock();
  log(`DynamoDB Local answers again at ${(endedAt / 1000).toFixed(2)} s`);
  return { startedAt, endedAt };
}

/** Waits until both work queues hold no message, visible or in flight. */
async function drained(system: UdagramLocalSystem, signal: AbortSignal): Promise<void> {
  const queues = [LOCAL_PIPELINE.classification.queue, LOCAL_PIPELINE.thumbnails.queue];
  while (queues.some((queue) => system.queues.messages(queue).length > 0))
    await delay(SETTLE_POLL_MS, undefined, { signal });
}

function remainingDeadLetters(system: UdagramLocalSystem): string[] {
  return [LOCAL_PIPELINE.classification, LOCAL_PIPELINE.thumbnails].flatMap((pipeline) =>
    system.queues
      .messages(pipeline.deadLetterQueue)
      .map((message) => `${pipeline.deadLetterQueue}: ${message.body.slice(0, 200)}`),
  );
}

@Module({ imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }), PipelineQueuesModule] })
class BackfillModule {}

/** As `npm run backfill` does it: a fresh application context, closed afterwards. */
async function runBackfill(logger: DetailLogger) {
  const context: INestApplicationContext = await NestFactory.createApplicationContext(BackfillModule, { logger });
  try {
    return await context.get(Backfill).run();
  } finally {
    await context.close();
  }
}
