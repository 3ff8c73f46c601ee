import { classifierFunctionDefinition, ensureClassifierBuilt, LambdaEmulator } from '@dev/lambda-emulator';
import { ImageProcessingService } from '@app/images';
import { ClassificationWorker } from '@app/labelling';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModule } from '@nestjs/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../../../tools/repository-root.js';
import { mintTestToken } from '../../../../tools/test/dev-token.js';
import { readFixture } from '../../../../tools/test/fixtures.js';
import { PipelineWorkerModule } from '../../src/pipeline-worker.module.js';
import { waitForImage, type ImageBody } from '../pipeline-helpers.js';
import { createTestAppWith, withEnvironment } from './security-helpers.js';

const CLASSIFIER = 'log-hygiene-classifier';
const JWT = /eyJ[A-Za-z0-9_-]{4,}/;
const PRESIGNED_QUERY = /X-Amz-(Signature|Credential|Security-Token)/i;

/** Keeps every line a Nest logger is given, at every level, and prints none. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = this.keep('LOG');
  error = this.keep('ERROR');
  warn = this.keep('WARN');
  debug = this.keep('DEBUG');
  verbose = this.keep('VERBOSE');
  fatal = this.keep('FATAL');

  private keep(level: string) {
    return (...parts: unknown[]) => {
      this.lines.push(
        [level, ...parts.map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 6 })))].join(' '),
      );
    };
  }
}

/**
 * Runs bad tokens, uploads, re-classifications and a queue message for a photo that never arrived through an API and
 * a classification worker of this test process, wired to a classifier Lambda emulator of its own (the run's shared one logs in
 * another process), and reads everything they logged: the Nest logs, the emulator's lines and the classifier's own.
 */
describe('what the API, the pipeline and the classifier log (e2e)', () => {
  const logger = new CapturingLogger();
  const emulatorLines: string[] = [];
  let emulator: LambdaEmulator;
  let app: NestExpressApplication;
  let pipeline: TestingModule;
  let alice: string;

  beforeAll(async () => {
    const root = repositoryRoot();
    emulator = new LambdaEmulator({
      functions: [
        classifierFunctionDefinition({
          name: CLASSIFIER,
          bootstrapPath: await ensureClassifierBuilt(root, (line) => emulatorLines.push(line)),
          modelDir: resolve(root, process.env.MODEL_DIR ?? '../shared/models/squeezenet-dc'),
        }),
      ],
      log: (line) => emulatorLines.push(line),
    });
    await emulator.start();
    const environment = {
      LAMBDA_ENDPOINT: emulator.endpoint,
      CLASSIFIER_FUNCTION_NAME: CLASSIFIER,
      CLASSIFIER_RETRY_BASE_DELAY_MS: '10',
    };
    app = await createTestAppWith(environment, (uninitialised) => uninitialised.useLogger(logger));
    pipeline = await withEnvironment(environment, () =>
      Test.createTestingModule({ imports: [PipelineWorkerModule] }).compile(),
    );
    pipeline.useLogger(logger);
    alice = await mintTestToken('alice');
  });

  afterAll(async () => {
    await pipeline?.close();
    await app?.close();
    await emulator?.stop();
  });

  it('never logs a token or a presigned URL’s credentials, though it logs what happened', async () => {
    const api = () => request(app.getHttpServer());
    const { privateKey } = await generateKeyPair('RS256');
    const badTokens = [
      await mintTestToken('mallory', { expiresIn: '-1m' }),
      await mintTestToken('mallory', { audience: 'another-api' }),
      await new SignJWT({ sub: 'mallory' })
        .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
        .setExpirationTime('5m')
        .sign(privateKey),
      `${alice.split('.').slice(0, 2).join('.')}.c2lnbmF0dXJl`,
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.',
    ];
    for (const token of badTokens) {
      await api().post('/groups').set('Authorization', `Bearer ${token}`).send({ name: 'Logged?' }).expect(401);
    }
    const groupId = (
      await api().post('/groups').set('Authorization', `Bearer ${alice}`).send({ name: 'Logs' }).expect(201)
    ).body.newItem.id;
    const upload = async (bytes: Buffer) => {
      const created = await api()
        .post(`/groups/${groupId}/images`)
        .set('Authorization', `Bearer ${alice}`)
        .send({ title: 'Logged' })
        .expect(201);
      if (bytes.length > 0)
        expect((await fetch(created.body.uploadUrl, { method: 'PUT', body: new Uint8Array(bytes) })).status).toBe(200);
      return created.body.newItem as ImageBody;
    };
    const [photo, notAPhoto, neverUploaded] = [
      await upload(await readFixture('squirrel.jpg')),
      await upload(Buffer.from('<html>not a photo</html>')),
      await upload(Buffer.alloc(0)),
    ];
    await Promise.all([waitForImage(app, photo.imageId), waitForImage(app, notAPhoto.imageId)]);

    for (const image of [photo, notAPhoto]) {
      await api().post(`/images/${image.imageId}/classification`).set('Authorization', `Bearer ${alice}`).expect(202);
    }
    await Promise.all([waitForImage(app, photo.imageId), waitForImage(app, notAPhoto.imageId)]);
    // Re-classified again, by this process's worker (the run's shared workers log elsewhere): the request is made
    // here, its message handed to the worker directly.
    const processing = pipeline.get(ImageProcessingService, { strict: false });
    const worker = pipeline.get(ClassificationWorker, { strict: false });
    const attributes = { ApproximateReceiveCount: process.env.CLASSIFICATION_MAX_RECEIVE_COUNT } as never;
    for (const image of [photo, notAPhoto]) {
      const request = await processing.requestReclassification(await processing.find(image.imageId));
      await worker.handle({
        messageId: `m-${image.imageId}`,
        body: JSON.stringify({ imageId: image.imageId, claimToken: request!.claimToken }),
        attributes,
      });
    }
    await worker
      .handle({
        messageId: 'm-never',
        body: JSON.stringify({
          Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: `images/${neverUploaded.imageId}` } } }],
        }),
        attributes,
      })
      .catch(() => undefined); // deferred to the dead-letter queue after recording the failure

    const logged = [...logger.lines, ...emulatorLines].join('\n');
    expect(logged).toContain(`Image ${photo.imageId}: CLASSIFIED`);
    expect(logged).toContain(`Image ${notAPhoto.imageId}: FAILED (UndecodableImage`);
    expect(logged).toContain(`Image ${neverUploaded.imageId}: FAILED (DownloadFailed`);
    expect(logged).toContain(`images/${neverUploaded.imageId}`);
    expect(logged).toMatch(/REPORT RequestId: .* Error: DownloadFailed/);
    expect(logged).not.toMatch(JWT);
    expect(logged).not.toMatch(PRESIGNED_QUERY);
  });
});
