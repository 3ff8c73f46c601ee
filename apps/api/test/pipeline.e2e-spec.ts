import { ClassifierClient } from '@app/classification';
import { ImageProcessingService } from '@app/images';
import { ClassificationWorker } from '@app/labelling';
import { Backfill, pipelineQueuesConfig } from '@app/pipeline-queues';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { readFixture } from '../../../tools/test/fixtures.js';
import { redriveDeadLetters } from '../../../tools/redrive/redrive-dead-letters.js';
import { AppModule } from '../src/app.module.js';
import { PipelineWorkerModule } from '../src/pipeline-worker.module.js';
import { injectClassifierFaults, uploadImage, waitForImage, type ImageBody } from './pipeline-helpers.js';
import { createTestApp } from './test-app.js';

const SQUIRREL = 'fox squirrel, eastern fox squirrel, Sciurus niger';
const withThumbnail = (image: ImageBody) => image.status !== 'PENDING' && image.thumbnailUrl !== undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('upload → label pipeline (e2e, real classifier)', () => {
  let app: NestExpressApplication;
  let alice: string;
  let bob: string;
  let groupId: string;
  let squirrel: Buffer;

  beforeAll(async () => {
    app = await createTestApp();
    [alice, bob, squirrel] = await Promise.all([
      mintTestToken('alice'),
      mintTestToken('bob'),
      readFixture('squirrel.jpg'),
    ]);
    groupId = (
      await request(app.getHttpServer())
        .post('/groups')
        .set('Authorization', `Bearer ${alice}`)
        .send({ name: 'Pipeline' })
        .expect(201)
    ).body.newItem.id;
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['squirrel.jpg', 'image/jpeg', SQUIRREL],
    ['camera.png', 'image/png', 'tripod'],
    ['chelsea.png', undefined, 'Egyptian cat'],
  ] as const)('labels %s by itself, with its top 5 and a thumbnail', async (fixture, contentType, expectedLabel) => {
    const created = await uploadImage(app, alice, groupId, await readFixture(fixture), contentType);

    const image = await waitForImage(app, created.imageId, withThumbnail);

    expect(image).toMatchObject({ status: 'CLASSIFIED', classLabel: expectedLabel, model: 'squeezenet-dc' });
    expect(image.labels).toHaveLength(5);
    expect(image.labels![0]).toEqual({
      label: expectedLabel,
      confidence: image.confidence,
      classId: expect.any(Number),
    });
    expect(image.failure).toBeUndefined();
    const thumbnail = await fetch(image.thumbnailUrl!);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
  });

  it('ends a text file uploaded as image/jpeg FAILED with UndecodableImage and a reason', async () => {
    const created = await uploadImage(app, alice, groupId, Buffer.from('this is not a photo\n'), 'image/jpeg');

    const image = await waitForImage(app, created.imageId);

    expect(image.status).toBe('FAILED');
    expect(image.failure).toEqual({
      errorType: 'UndecodableImage',
      reason: 'The file is not an image the classifier can read',
    });
    expect(image.classLabel).toBeUndefined();
  });

  it('retries through an injected crash and timeout, then classifies', async () => {
    await injectClassifierFaults('crash', 1);
    await injectClassifierFaults('timeout', 1);

    const created = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');

    await expect(waitForImage(app, created.imageId)).resolves.toMatchObject({
      status: 'CLASSIFIED',
      classLabel: SQUIRREL,
    });
  });

  it('retries through throttling, then classifies', async () => {
    await injectClassifierFaults('throttle', 2);

    const created = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');

    await expect(waitForImage(app, created.imageId)).resolves.toMatchObject({
      status: 'CLASSIFIED',
      classLabel: SQUIRREL,
    });
  });

  it('puts the message back when the classifier crashes on every attempt of a delivery, and labels it on the next', async () => {
    await injectClassifierFaults('crash', 3);

    const created = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');

    await expect(waitForImage(app, created.imageId)).resolves.toMatchObject({
      status: 'CLASSIFIED',
      classLabel: SQUIRREL,
    });
  });

  it('never fails an image for throttling: past maxReceiveCount the message dead-letters, and the redrive labels it', async () => {
    const maxReceiveCount = Number(process.env.CLASSIFICATION_MAX_RECEIVE_COUNT);
    // Every attempt of every delivery is throttled (the client's 3 attempts, maxReceiveCount deliveries).
    await injectClassifierFaults('throttle', 3 * maxReceiveCount);
    const created = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');
    const sqs = new SQSClient({ region: process.env.AWS_REGION, endpoint: process.env.SQS_ENDPOINT });

    // Redriven until it is labelled: other suites of the run share the classifier (and may take some of the injected
    // throttles) and the dead-letter queue.
    const statuses = new Set<string>();
    let moved = 0;
    await vi.waitFor(
      async () => {
        moved += (await redriveDeadLetters(sqs, process.env.CLASSIFICATION_DEAD_LETTER_QUEUE_URL!, 50)).moved;
        const image: ImageBody = (await request(app.getHttpServer()).get(`/images/${created.imageId}`).expect(200)).body
          .item;
        statuses.add(image.status);
        expect(image).toMatchObject({ status: 'CLASSIFIED', classLabel: SQUIRREL });
      },
      { timeout: 80_000, interval: 1_000 },
    );
    sqs.destroy();

    expect(moved).toBeGreaterThanOrEqual(1);
    expect(statuses.has('FAILED')).toBe(false);
  }, 120_000);

  it('backfills: queues a PENDING image whose request was lost, and ends an upload that never came as UploadMissing', async () => {
    const lost = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');
    await waitForImage(app, lost.imageId, withThumbnail);
    const neverUploaded = (
      await request(app.getHttpServer())
        .post(`/groups/${groupId}/images`)
        .set('Authorization', `Bearer ${alice}`)
        .send({ title: 'Never uploaded' })
        .expect(201)
    ).body.newItem;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(pipelineQueuesConfig.KEY)
      .useFactory({ factory: () => ({ ...pipelineQueuesConfig(), pendingUploadMaxAgeSeconds: 0 }) })
      .compile();
    // A re-classification whose message never left (the API answered 503): PENDING under a token, nothing queued.
    const processing = moduleRef.get(ImageProcessingService, { strict: false });
    await processing.requestReclassification(await processing.find(lost.imageId));
    const progress = vi.fn();

    const counts = await moduleRef.get(Backfill).run(progress);
    await moduleRef.close();

    expect(counts.classificationsQueued).toBeGreaterThanOrEqual(1);
    expect(counts.uploadsMissing).toBeGreaterThanOrEqual(1);
    expect(progress).toHaveBeenCalled();
    await expect(waitForImage(app, lost.imageId)).resolves.toMatchObject({
      status: 'CLASSIFIED',
      classLabel: SQUIRREL,
    });
    const missing = await waitForImage(app, neverUploaded.imageId);
    expect(missing.status).toBe('FAILED');
    expect(missing.failure).toEqual({
      errorType: 'UploadMissing',
      reason: 'No photo was uploaded within 0 minutes of creating the image',
    });
  });

  describe('duplicate and late events', () => {
    let moduleRef: TestingModule;
    const classify = vi.fn();

    beforeAll(async () => {
      moduleRef = await Test.createTestingModule({ imports: [PipelineWorkerModule] })
        .overrideProvider(ClassifierClient)
        .useValue({ classify })
        .compile();
    });

    afterAll(async () => {
      await moduleRef.close();
    });

    const messageFor = (imageId: string) => ({
      messageId: `message-${imageId}`,
      body: JSON.stringify({
        Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: `images/${imageId}` } } }],
      }),
      attributes: { ApproximateReceiveCount: '1' } as never,
    });
    const createPending = async () =>
      (
        await request(app.getHttpServer())
          .post(`/groups/${groupId}/images`)
          .set('Authorization', `Bearer ${alice}`)
          .send({ title: 'Not uploaded: the events are delivered by hand' })
          .expect(201)
      ).body.newItem as ImageBody;

    it('classifies an image once when the same message is delivered three times at once', async () => {
      classify.mockReset().mockImplementation(async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return {
          label: 'stub label',
          confidence: 0.5,
          labels: [{ label: 'stub label', confidence: 0.5, classId: 1 }],
          model: 'stub',
          timings: { downloadMs: 0, decodeMs: 0, inferenceMs: 0 },
        };
      });
      const image = await createPending();
      const worker = moduleRef.get(ClassificationWorker);

      const outcomes = await Promise.allSettled([1, 2, 3].map(() => worker.handle(messageFor(image.imageId))));
      const classified = await waitForImage(app, image.imageId);
      await expect(worker.handle(messageFor(image.imageId))).resolves.toEqual(['SKIPPED']);

      // One run classifies; the two that found it held are put back (not dropped), and skip it once it is done.
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => outcome.value)).toEqual([
        ['CLASSIFIED'],
      ]);
      expect(
        outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as Error).name),
      ).toEqual(['ClassificationDeferredError', 'ClassificationDeferredError']);

      expect(classify).toHaveBeenCalledTimes(1);
      expect(classified).toMatchObject({ status: 'CLASSIFIED', classLabel: 'stub label' });
      await expect(waitForImage(app, image.imageId)).resolves.toMatchObject({ classifiedAt: classified.classifiedAt });
    });

    it('drops a late result when a re-classification has replaced it', async () => {
      let finishLateRun: () => void = () => undefined;
      classify.mockReset().mockImplementation(
        () =>
          new Promise((resolve) => {
            finishLateRun = () =>
              resolve({
                label: 'late label',
                confidence: 0.9,
                labels: [{ label: 'late label', confidence: 0.9, classId: 2 }],
                model: 'stub',
                timings: { downloadMs: 0, decodeMs: 0, inferenceMs: 0 },
              });
          }),
      );
      const image = await createPending();
      const lateRun = moduleRef.get(ClassificationWorker).handle(messageFor(image.imageId));
      await vi.waitFor(() => expect(classify).toHaveBeenCalledTimes(1));

      // The owner re-classifies meanwhile, through the API, the queue and the real classifier: the photo was never
      // uploaded, so the newer result, once the deliveries are spent, is a failure to download it.
      const reclassified = await request(app.getHttpServer())
        .post(`/images/${image.imageId}/classification`)
        .set('Authorization', `Bearer ${alice}`)
        .expect(202);
      finishLateRun();

      await expect(lateRun).resolves.toEqual(['SUPERSEDED']);
      expect(reclassified.body.item.status).toBe('PENDING');
      await expect(waitForImage(app, image.imageId, undefined, 60_000)).resolves.toMatchObject({
        status: 'FAILED',
        failure: { errorType: 'DownloadFailed' },
      });
    });
  });

  describe('label search', () => {
    let squirrelImage: ImageBody;

    beforeAll(async () => {
      const created = await uploadImage(app, bob, groupId, squirrel, 'image/jpeg');
      squirrelImage = await waitForImage(app, created.imageId);
    });

    it('finds the squirrel by "squirrel", in any case, across groups and in its group', async () => {
      const everywhere = await request(app.getHttpServer()).get('/images').query({ label: 'Squirrel' }).expect(200);
      const inGroup = await request(app.getHttpServer())
        .get(`/groups/${groupId}/images`)
        .query({ label: 'sciurus' })
        .expect(200);

      expect(everywhere.body.items.map((image: ImageBody) => image.imageId)).toContain(squirrelImage.imageId);
      expect(inGroup.body.items.map((image: ImageBody) => image.imageId)).toContain(squirrelImage.imageId);
      expect(inGroup.body.items.every((image: ImageBody) => image.groupId === groupId)).toBe(true);
    });

    it('does not find it by "dog"', async () => {
      const response = await request(app.getHttpServer()).get('/images').query({ label: 'dog' }).expect(200);

      expect(response.body.items.map((image: ImageBody) => image.imageId)).not.toContain(squirrelImage.imageId);
    });

    it('refuses a label that is not one word', async () => {
      const response = await request(app.getHttpServer()).get('/images').query({ label: 'fox squirrel' }).expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'label must be a single word of letters or digits',
      });
    });

    it('pages label results newest first', async () => {
      const first = await request(app.getHttpServer())
        .get('/images')
        .query({ label: 'squirrel', limit: 1 })
        .expect(200);
      const second = await request(app.getHttpServer())
        .get('/images')
        .query({ label: 'squirrel', limit: 1, nextKey: first.body.nextKey })
        .expect(200);

      expect(first.body.items).toHaveLength(1);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].timestamp <= first.body.items[0].timestamp).toBe(true);
    });
  });

  describe('re-classification', () => {
    it('lets the owner re-run classification: 202 with the image PENDING (labels kept), then the new result', async () => {
      const created = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');
      const first = await waitForImage(app, created.imageId);

      const response = await request(app.getHttpServer())
        .post(`/images/${created.imageId}/classification`)
        .set('Authorization', `Bearer ${alice}`)
        .expect(202);

      expect(response.body.item).toMatchObject({ imageId: created.imageId, status: 'PENDING', classLabel: SQUIRREL });
      const again = await waitForImage(app, created.imageId);
      expect(again).toMatchObject({ status: 'CLASSIFIED', classLabel: SQUIRREL });
      expect(again.classifiedAt! > first.classifiedAt!).toBe(true);
    });

    it('refuses anyone else', async () => {
      const created = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');

      const response = await request(app.getHttpServer())
        .post(`/images/${created.imageId}/classification`)
        .set('Authorization', `Bearer ${bob}`)
        .expect(403);

      expect(response.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'Only the owner of an image may re-classify it',
      });
    });
  });

  it('tells a WebSocket client watching the group when the label is ready', async () => {
    const socket = new WebSocket(`${process.env.WEBSOCKET_URL}/?groupId=${groupId}`);
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

    const created = await uploadImage(app, alice, groupId, squirrel, 'image/jpeg');

    await vi.waitFor(
      () =>
        expect(messages).toContainEqual({
          type: 'ImageStatusChanged',
          imageId: created.imageId,
          groupId,
          status: 'CLASSIFIED',
          classLabel: SQUIRREL,
          // The creating request's id: the local server has no gateway, so a UUID (docs/OBSERVABILITY.md).
          correlationId: expect.stringMatching(UUID),
        }),
      { timeout: 30_000, interval: 100 },
    );
    socket.close();
  });
});
