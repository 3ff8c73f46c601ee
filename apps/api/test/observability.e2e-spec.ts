import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { mintTestToken } from '../../../tools/test/dev-token.js';
import { readFixture } from '../../../tools/test/fixtures.js';
import { readLogDirectory, type LogEntry } from '../../../tools/trace/image-timeline.js';
import { waitForImage } from './pipeline-helpers.js';
import { createTestApp } from './test-app.js';

/** The functions' own files: every line in them is a JSON line (StructuredLogger's, or the C++ classifier's json_log). */
const FUNCTION_LOGS = [
  'udagram-api',
  'classification-worker',
  'thumbnail-worker',
  'notifier',
  'websocket',
  'classifier',
];
const JWT = /eyJ[A-Za-z0-9_-]{4,}/;
const PRESIGNED_QUERY = /X-Amz-(Signature|Credential|Security-Token)/i;

/**
 * One photo through the run's local system (the API of this process, the queue workers, the classifier binary in
 * the Lambda emulator, the notifier and the WebSocket gateway), then what every component wrote to the run's log
 * files (UDAGRAM_LOG_DIR, set by the e2e set-up).
 */
describe('logs and the correlation id across the pipeline (e2e)', () => {
  const logDirectory = process.env.UDAGRAM_LOG_DIR!;
  const correlationId = `e2e-${randomUUID()}`;
  let app: NestExpressApplication;
  let alice: string;
  let socket: WebSocket | undefined;

  beforeAll(async () => {
    app = await createTestApp();
    alice = await mintTestToken('alice');
  });

  afterAll(async () => {
    socket?.close();
    await app?.close();
  });

  it('gives one correlation id to the API, worker, classifier and notifier lines and the notification', async () => {
    const api = () => request(app.getHttpServer());
    const groupId = (
      await api().post('/groups').set('Authorization', `Bearer ${alice}`).send({ name: 'Traced' }).expect(201)
    ).body.newItem.id;
    socket = new WebSocket(`${process.env.WEBSOCKET_URL}/?groupId=${groupId}`);
    const messages: Record<string, unknown>[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => socket!.once('open', resolve).once('error', reject));

    const created = await api()
      .post(`/groups/${groupId}/images`)
      .set('Authorization', `Bearer ${alice}`)
      .set('X-Correlation-Id', correlationId)
      .send({ title: 'Traced squirrel' })
      .expect(201);
    expect(created.headers['x-correlation-id']).toBe(correlationId);
    const { imageId } = created.body.newItem as { imageId: string };
    const upload = await fetch(created.body.uploadUrl, {
      method: 'PUT',
      body: new Uint8Array(await readFixture('squirrel.jpg')),
    });
    expect(upload.status).toBe(200);
    await expect(waitForImage(app, imageId)).resolves.toMatchObject({ status: 'CLASSIFIED' });

    await vi.waitFor(() => expect(messages.filter((message) => message.imageId === imageId)).toHaveLength(1), {
      timeout: 10_000,
      interval: 50,
    });
    expect(messages.find((message) => message.imageId === imageId)).toEqual({
      type: 'ImageStatusChanged',
      imageId,
      groupId,
      status: 'CLASSIFIED',
      classLabel: 'fox squirrel, eastern fox squirrel, Sciurus niger',
      correlationId,
    });
    const ofImage = async () =>
      (await readLogDirectory(logDirectory)).filter(
        (entry) => entry.fields.correlationId === correlationId && entry.fields.imageId === imageId,
      );
    // The notifier logs after its posts: its line may land a moment after the message.
    const lines = await vi.waitFor(
      async () => {
        const found = await ofImage();
        expect(new Set(found.map((entry) => entry.service))).toEqual(
          new Set(['udagram-api', 'classification-worker', 'classifier', 'notifier', 'thumbnail-worker']),
        );
        return found;
      },
      { timeout: 10_000, interval: 200 },
    );

    expect(messagesOf(lines, 'udagram-api')).toContain(`Image ${imageId} created in group ${groupId}`);
    expect(messagesOf(lines, 'classification-worker')).toContainEqual(
      expect.stringMatching(new RegExp(`^Image ${imageId}: CLASSIFIED as "fox squirrel`)),
    );
    expect(messagesOf(lines, 'notifier')).toContain(
      `Image ${imageId} CLASSIFIED: group ${groupId}, 1 sent, 0 gone, 0 failed`,
    );
    // Inside their Lambda invocations (the local event source mappings and the Lambda emulator give each a context):
    const invoked = new Set(['classification-worker', 'notifier', 'classifier']);
    for (const entry of lines.filter((line) => invoked.has(line.service))) {
      expect(entry.fields).toMatchObject({
        function_request_id: expect.any(String),
        function_name: expect.any(String),
        cold_start: expect.any(Boolean),
      });
    }
  });

  it('writes each function’s lines as JSON with the common keys, and no token or presigned credential anywhere', async () => {
    const files = (await readdir(logDirectory)).filter((file) => file.endsWith('.log'));
    expect(files.map((file) => basename(file, '.log'))).toEqual(
      expect.arrayContaining(FUNCTION_LOGS.filter((name) => name !== 'websocket')),
    );
    // The emulators' own output is kept too: DynamoDB Local's JVM lines, from its start-up banner on.
    await expect(readFile(join(logDirectory, 'dynamodb-local.log'), 'utf8')).resolves.toMatch(
      /^\S+ Initializing DynamoDB Local with the following configuration:$/m,
    );
    const linesPerFunction: Record<string, number> = {};
    for (const file of files) {
      const text = await readFile(join(logDirectory, file), 'utf8');
      expect(text, file).not.toMatch(JWT);
      expect(text, file).not.toMatch(PRESIGNED_QUERY);
      if (!FUNCTION_LOGS.includes(basename(file, '.log'))) continue;
      for (const line of text.split('\n').filter(Boolean)) {
        linesPerFunction[basename(file, '.log')] = (linesPerFunction[basename(file, '.log')] ?? 0) + 1;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        expect(parsed, `${file}: ${line}`).toMatchObject({
          level: expect.stringMatching(/^(TRACE|DEBUG|INFO|WARN|ERROR|CRITICAL)$/),
          message: expect.any(String),
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          service: basename(file, '.log'),
        });
        // Whatever is inside an invocation carries all of its keys, not some.
        if ('function_request_id' in parsed)
          expect(parsed).toMatchObject({ function_name: expect.any(String), cold_start: expect.any(Boolean) });
      }
    }
    // At least the lines the traced photo made (the first test): the check above ran on each of them.
    for (const service of ['udagram-api', 'classification-worker', 'thumbnail-worker', 'notifier', 'classifier']) {
      expect(linesPerFunction[service], service).toBeGreaterThanOrEqual(1);
    }
  });
});

function messagesOf(lines: readonly LogEntry[], service: string): string[] {
  return lines.filter((line) => line.service === service).map((line) => line.message);
}
