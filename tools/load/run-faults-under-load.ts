import { Backfill } from '@app/labelling';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InjectedFault } from '@app/lambda-emulator';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp } from '../../apps/api/src/configure-app.js';
import { UploadPipelineModule } from '../../apps/api/src/upload-pipeline.module.js';
import { startUdagramLocalSystem, type UdagramLocalSystem } from '../local-cloud/udagram-local-system.js';
import { fixturesDirectory } from '../test/fixtures.js';
import { DetailLogger } from './detail-logger.js';
import { injectDynamoDbFaults } from './dynamodb-fault-injection.js';
import { faultForInvocation } from './fault-schedule.js';
import { auditImages, unmatchedDeadLetters, type CreatedImage, type DeadLetterBody } from './image-audit.js';
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

/**
 * One load run under faults: a local system with its data in a temporary directory; the API in this process;
 * `images` creations and uploads by `concurrency` clients; every `faultEvery`-th classifier invocation crashed,
 * timed out or throttled; DynamoDB Local restarted once when half the images exist; then, once the pipeline has
 * settled, the backfill as an operator runs it; and an audit of DynamoDB. Stops everything and removes the
 * directory. Points process.env at the system (the API and the upload handler read their config from it); once
 * per process, as the upload handler keeps its first application context, like a Lambda instance.
 */
export async function runFaultsUnderLoad(options: LoadRunOptions): Promise<LoadReport> {
  const { log, detail, signal } = options;
  const runStartedAt = performance.now();
  const clock = () => performance.now() - runStartedAt;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'udagram-load-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const system = await startUdagramLocalSystem({ dataDir, log: detail });
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

    const uploadEvents = { delivered: 0, settled: 0, failed: 0 };
    const { handler } = await import('../../apps/api/src/upload-lambda.js');
    system.routeUploadsTo(async (event) => {
      uploadEvents.delivered += 1;
      try {
        await handler(event);
      } catch (error) {
        uploadEvents.failed += 1;
        throw error;
      } finally {
        uploadEvents.settled += 1;
      }
    });

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
    log(`Load: ${options.images} images, ${Math.min(options.concurrency, options.images)} at once; DynamoDB Local restarts after ${restartAfter} exist`);

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
        const put = await fetch(uploadUrl, {
          method: 'PUT',
          body: new Uint8Array(photo.bytes),
          headers: { 'Content-Type': photo.contentType },
          signal,
        });
        uploadStatuses[put.status] = (uploadStatuses[put.status] ?? 0) + 1;
        if (put.ok) uploaded += 1;
      } catch (error) {
        if (signal.aborted) throw error;
        abandoned.push(`${title}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    const outageWindow = await outage;
    const loadEnded = clock();
    log(`Creations and uploads done at ${(loadEnded / 1000).toFixed(1)} s: ${created.length} created, ${uploaded} uploaded`);

    // Every upload's S3 event has been handled (successfully or not): nothing more will happen without the backfill.
    while (uploadEvents.settled < uploaded) await delay(SETTLE_POLL_MS, undefined, { signal });
    const settled = clock();
    const before = await readStoredState(process.env, groupId);
    const letters = system.deadLetters.messages().map((message) => JSON.parse(message.body) as DeadLetterBody);
    log(`Pipeline settled at ${(settled / 1000).toFixed(1)} s (${uploadEvents.failed} upload event(s) failed); running the backfill`);

    signal.throwIfAborted();
    const backfill = await runBackfill(logger);
    const backfilled = clock();
    const after = await readStoredState(process.env, groupId);

    // Taken before the deletes, whose ObjectRemoved events reach the same handler.
    const pipelineEvents = { delivered: uploadEvents.delivered, failed: uploadEvents.failed };
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
      uploadEvents: pipelineEvents,
      classifierInvocations: proxy.invocations(),
      faults,
      beforeBackfill: auditImages(created, before),
      deadLetters: { sent: letters.length, unmatched: unmatchedDeadLetters(letters, before) },
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
      await cleanup().catch((error: unknown) => log(`Clean-up failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}

async function restartDynamoDb(system: UdagramLocalSystem, clock: () => number, log: (line: string) => void): Promise<OutageWindow> {
  const startedAt = clock();
  log(`DynamoDB Local restart begins at ${(startedAt / 1000).toFixed(2)} s`);
  await system.cloud.restartDynamoDb();
  const endedAt = clock();
  log(`DynamoDB Local answers again at ${(endedAt / 1000).toFixed(2)} s`);
  return { startedAt, endedAt };
}

/** As `npm run backfill` does it: a fresh application context of the upload pipeline, closed afterwards. */
async function runBackfill(logger: DetailLogger) {
  const context: INestApplicationContext = await NestFactory.createApplicationContext(UploadPipelineModule, { logger });
  try {
    return await context.get(Backfill).run();
  } finally {
    await context.close();
  }
}
