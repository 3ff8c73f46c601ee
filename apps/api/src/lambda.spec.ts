import { NestFactory } from '@nestjs/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  httpApiEvent,
  lambdaContext,
  normalizeResponse,
  restApiEvent,
} from '../../../tools/deploy/api-gateway-events.js';

// A one-route stand-in for AppModule: what is under test is the entry point (boot caching, configureApp,
// serverless-express), not the features, which need the local cloud.
vi.mock('./app.module.js', async () => {
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { ConfigModule } = await import('@nestjs/config');
  const { apiConfig } = await import('./api.config.js');

  @Controller('ping')
  class PingController {
    @Get()
    ping() {
      return { pong: true };
    }
  }

  @Module({
    imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [apiConfig] })],
    controllers: [PingController],
  })
  class AppModule {}

  return { AppModule };
});

/** lambda.ts caches its boot at module scope: each test gets a fresh copy of the module. */
async function freshHandler() {
  vi.resetModules();
  return (await import('./lambda.js')).handler;
}

describe('the API Lambda handler', () => {
  beforeEach(() => {
    vi.stubEnv('CORS_ORIGINS', 'https://app.udagram.example');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('answers an HTTP API event and a REST API event for the same request alike', async () => {
    const handler = await freshHandler();
    const ping = { method: 'GET', path: '/ping', headers: { Origin: 'https://app.udagram.example' } } as const;

    const [fromHttpApi, fromRestApi] = await Promise.all([
      handler(httpApiEvent(ping), lambdaContext()),
      handler(restApiEvent(ping), lambdaContext()),
    ]);

    const expected = {
      statusCode: 200,
      body: '{"pong":true}',
      headers: expect.objectContaining({
        'access-control-allow-origin': 'https://app.udagram.example',
        vary: 'Origin',
      }),
    };
    expect(normalizeResponse(fromHttpApi)).toEqual(expected);
    expect(normalizeResponse(fromRestApi)).toEqual(expected);
  });

  it('configures the app as the local server does (CORS from CORS_ORIGINS, no x-powered-by)', async () => {
    const handler = await freshHandler();

    const preflight = normalizeResponse(
      await handler(
        httpApiEvent({
          method: 'OPTIONS',
          path: '/ping',
          headers: { Origin: 'https://app.udagram.example', 'Access-Control-Request-Method': 'POST' },
        }),
        lambdaContext(),
      ),
    );

    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-methods': 'GET,POST,PUT,DELETE',
      'access-control-max-age': '600',
    });
    expect(preflight.headers).not.toHaveProperty('x-powered-by');
  });

  it('boots the app once for concurrent first events and reuses it afterwards', async () => {
    const create = vi.spyOn(NestFactory, 'create');
    const handler = await freshHandler();
    const ping = httpApiEvent({ method: 'GET', path: '/ping' });

    await Promise.all([handler(ping, lambdaContext()), handler(ping, lambdaContext())]);
    await handler(ping, lambdaContext());

    expect(create).toHaveBeenCalledTimes(1);
  });

  it('boots again on the next event after a failed boot instead of failing for the rest of the instance’s life', async () => {
    const create = vi.spyOn(NestFactory, 'create').mockRejectedValueOnce(new Error('DynamoDB endpoint unreachable'));
    const handler = await freshHandler();
    const ping = httpApiEvent({ method: 'GET', path: '/ping' });

    await expect(handler(ping, lambdaContext())).rejects.toThrow('DynamoDB endpoint unreachable');
    const retried = normalizeResponse(await handler(ping, lambdaContext()));

    expect(retried.statusCode).toBe(200);
    expect(create).toHaveBeenCalledTimes(2);
  });
});
