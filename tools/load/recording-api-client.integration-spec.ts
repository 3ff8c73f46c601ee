import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingApiClient } from './recording-api-client.js';

describe('RecordingApiClient', () => {
  const unavailable = {
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'DynamoDB is unavailable; try again later',
  };
  const seen: { authorization?: string; body: string }[] = [];
  let answers: { status: number; body: object }[] = [];
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ authorization: request.headers.authorization, body });
        const { status, body: answer } = answers.shift()!;
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('retries a 503 until the API answers otherwise, and records every exchange with the error bodies', async () => {
    answers = [
      { status: 503, body: unavailable },
      { status: 503, body: unavailable },
      { status: 201, body: { newItem: { imageId: 'i1' } } },
    ];
    let tick = 0;
    const client = new RecordingApiClient(baseUrl, () => ++tick, AbortSignal.timeout(10_000));

    const answer = await client.postRetryingUnavailable({
      path: '/groups/g1/images',
      route: 'POST /groups/:groupId/images',
      token: 'T',
      body: { title: 'x' },
    });

    expect(answer).toEqual({ status: 201, body: { newItem: { imageId: 'i1' } } });
    expect(client.exchanges).toEqual([
      { route: 'POST /groups/:groupId/images', status: 503, startedAt: 1, endedAt: 2, errorBody: unavailable },
      { route: 'POST /groups/:groupId/images', status: 503, startedAt: 3, endedAt: 4, errorBody: unavailable },
      { route: 'POST /groups/:groupId/images', status: 201, startedAt: 5, endedAt: 6 },
    ]);
    expect(seen.splice(0)).toEqual(Array(3).fill({ authorization: 'Bearer T', body: '{"title":"x"}' }));
  });

  it('does not retry other errors', async () => {
    answers = [{ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'title must not be blank' } }];
    const client = new RecordingApiClient(baseUrl, () => 0, AbortSignal.timeout(10_000));

    const answer = await client.postRetryingUnavailable({
      path: '/groups/g1/images',
      route: 'POST /groups/:groupId/images',
      token: 'T',
      body: {},
    });

    expect(answer.status).toBe(400);
    expect(client.exchanges).toHaveLength(1);
    expect(seen.splice(0)).toHaveLength(1);
  });
});
