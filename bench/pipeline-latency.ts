/**
 * Upload → label latency: 50 uploads through the API on the local system (real classifier), the time from the end
 * of each PUT — through the S3 event, the classification queue and its worker — to the label being recorded (the
 * image's `classifiedAt`), and to the CLASSIFIED notification on the WebSocket (which then crosses the images table's
 * stream, polled 4 times a second as Lambda polls a stream); beside them, in the same run and alternating, the
 * classifier's own time for the same photo (a direct Lambda Invoke with the same presigned URL). Prints p50/p95 and
 * the ratio of the label's p50 to the classifier's (goal ≤ 1.5). Loopback only; bounded by UPLOADS.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp } from '../apps/api/src/configure-app.js';
import { pipelineWorkerHandlers, startUdagramLocalSystem } from '../tools/local-cloud/udagram-local-system.js';
import { fixturesDirectory } from '../tools/test/fixtures.js';

const UPLOADS = Number(process.env.UPLOADS ?? 50);
const quiet = process.env.VERBOSE === undefined;

const system = await startUdagramLocalSystem({
  inMemory: true,
  classifierConcurrency: 1,
  log: (line) => quiet || console.error(line),
});
Object.assign(process.env, system.env);
// The whole AWS path: S3 event → queue → event source mapping (long polling, no batching window) → worker.
system.startWorkers(await pipelineWorkerHandlers());
const api = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error'] }));
await api.listen(0, '127.0.0.1');
const apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
const lambda = new LambdaClient({
  region: system.env.AWS_REGION,
  endpoint: system.env.LAMBDA_ENDPOINT,
  maxAttempts: 1,
});

const token = await system.cloud.identity.mintToken('bench');
const groupId = ((await post(`${apiUrl}/groups`, { name: 'Latency' })) as { newItem: { id: string } }).newItem.id;
const photos = await Promise.all(
  ['squirrel.jpg', 'camera.png', 'chelsea.png'].map((name) => readFile(path.join(fixturesDirectory(), name))),
);

const classified = new Map<string, () => void>();
const socket = new WebSocket(`${system.env.WEBSOCKET_URL}/?groupId=${groupId}`);
socket.on('message', (data) => {
  const message = JSON.parse(data.toString()) as { imageId: string; status: string };
  classified.get(message.imageId)?.();
});
await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

const labelMs: number[] = [];
const notifiedMs: number[] = [];
const classifierMs: number[] = [];
for (let index = 0; index < UPLOADS + 3; index += 1) {
  const photo = photos[index % photos.length]!;
  const { newItem, uploadUrl } = (await post(`${apiUrl}/groups/${groupId}/images`, { title: `Photo ${index}` })) as {
    newItem: { imageId: string; imageUrl: string };
    uploadUrl: string;
  };
  const done = new Promise<void>((resolve) => classified.set(newItem.imageId, resolve));
  const put = await fetch(uploadUrl, { method: 'PUT', body: new Uint8Array(photo) });
  if (put.status !== 200) throw new Error(`PUT → ${put.status}`);
  const putEnded = performance.now();
  const putEndedAt = Date.now();
  await done;
  const notified = performance.now() - putEnded;
  const { item } = (await get(`${apiUrl}/images/${newItem.imageId}`)) as { item: { classifiedAt: string } };
  const label = Date.parse(item.classifiedAt) - putEndedAt;

  const invokeStarted = performance.now();
  const answer = await lambda.send(
    new InvokeCommand({
      FunctionName: system.env.CLASSIFIER_FUNCTION_NAME,
      Payload: JSON.stringify({ imageUrl: newItem.imageUrl, topK: 5 }),
    }),
  );
  if (answer.FunctionError) throw new Error(`classifier: ${new TextDecoder().decode(answer.Payload)}`);
  const direct = performance.now() - invokeStarted;
  if (index >= 3) {
    // the first three warm the runtime, the API and the connections
    labelMs.push(label);
    notifiedMs.push(notified);
    classifierMs.push(direct);
  }
}

const p = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
console.log(`${UPLOADS} uploads (squirrel, camera, chelsea in turn), real classifier, one runtime`);
console.log(
  `  end of PUT → label recorded (classifiedAt): p50 ${p(labelMs, 0.5).toFixed(1)} ms, p95 ${p(labelMs, 0.95).toFixed(1)} ms`,
);
console.log(
  `  end of PUT → WebSocket notification:       p50 ${p(notifiedMs, 0.5).toFixed(1)} ms, p95 ${p(notifiedMs, 0.95).toFixed(1)} ms`,
);
console.log(
  `  classifier alone (direct Invoke):          p50 ${p(classifierMs, 0.5).toFixed(1)} ms, p95 ${p(classifierMs, 0.95).toFixed(1)} ms`,
);
console.log(`  ratio of p50s, label / classifier: ${(p(labelMs, 0.5) / p(classifierMs, 0.5)).toFixed(2)} (goal ≤ 1.5)`);

socket.close();
lambda.destroy();
await api.close();
await system.stop();

async function get(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} → ${response.status}`);
  return response.json();
}

async function post(url: string, body: object): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${url} → ${response.status}`);
  return response.json();
}
