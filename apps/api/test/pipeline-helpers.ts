import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { expect } from 'vitest';

export interface ImageBody {
  imageId: string;
  groupId: string;
  status: 'PENDING' | 'CLASSIFIED' | 'FAILED';
  classLabel?: string;
  confidence?: number;
  labels?: { label: string; confidence: number; classId: number }[];
  model?: string;
  classifiedAt?: string;
  failure?: { errorType: string; reason: string };
  thumbnailUrl?: string;
  imageUrl: string;
}

/** Creates an image and PUTs the bytes to its upload URL, as a client does. */
export async function uploadImage(
  app: NestExpressApplication,
  token: string,
  groupId: string,
  bytes: Buffer,
  contentType?: 'image/jpeg' | 'image/png',
): Promise<ImageBody> {
  const created = await request(app.getHttpServer())
    .post(`/groups/${groupId}/images`)
    .set('Authorization', `Bearer ${token}`)
    .send({ title: 'Pipeline test', ...(contentType === undefined ? {} : { contentType }) })
    .expect(201);
  const upload = await fetch(created.body.uploadUrl, {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
  });
  expect(upload.status).toBe(200);
  return created.body.newItem;
}

/** Polls the API until the image is no longer PENDING (and, if asked, has its thumbnail). */
export async function waitForImage(
  app: NestExpressApplication,
  imageId: string,
  until: (image: ImageBody) => boolean = (image) => image.status !== 'PENDING',
  timeoutMs = 30_000,
): Promise<ImageBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const image: ImageBody = (await request(app.getHttpServer()).get(`/images/${imageId}`).expect(200)).body.item;
    if (until(image)) return image;
    if (Date.now() > deadline) throw new Error(`Image ${imageId} still ${image.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Makes the next `count` invocations of the classifier suffer `fault` (the Lambda emulator's control route). */
export async function injectClassifierFaults(fault: 'crash' | 'timeout' | 'throttle', count: number): Promise<void> {
  const url = `${process.env.LAMBDA_ENDPOINT}/_emulator/functions/${process.env.CLASSIFIER_FUNCTION_NAME}/faults`;
  const response = await fetch(url, { method: 'POST', body: JSON.stringify({ fault, count }) });
  expect(response.status).toBe(204);
}
