import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupSwagger } from '../src/swagger.js';
import { createTestApp } from './test-app.js';

describe('OpenAPI document and Swagger UI (e2e)', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await createTestApp((uninitialised) =>
      setupSwagger(uninitialised, 'GET http://127.0.0.1:9999/token?sub=alice'),
    );
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(app.getHttpServer()).get('/docs/').expect(200);

    expect(response.text).toContain('swagger-ui');
  });

  it('documents every endpoint with bearer auth on the writes and the shared error body', async () => {
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;

    expect(Object.keys(document.paths).sort()).toEqual([
      '/groups',
      '/groups/{groupId}',
      '/groups/{groupId}/images',
      '/health',
      '/images',
      '/images/{imageId}',
      '/images/{imageId}/classification',
      '/images/{imageId}/photo',
    ]);
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.components.securitySchemes.bearer.description).toContain(
      'GET http://127.0.0.1:9999/token?sub=alice',
    );
    expect(document.components.securitySchemes.oauth2).toEqual({
      type: 'oauth2',
      description: expect.stringContaining('any user name'),
      flows: {
        authorizationCode: {
          authorizationUrl: new URL('authorize', process.env.JWT_ISSUER).href,
          tokenUrl: new URL('oauth/token', process.env.JWT_ISSUER).href,
          scopes: { openid: expect.any(String), profile: expect.any(String) },
        },
      },
    });
    expect(document.paths['/groups'].post.security).toEqual([{ oauth2: ['openid', 'profile'] }, { bearer: [] }]);
    expect(document.paths['/groups'].get.security).toEqual([]);
    expect(document.paths['/groups/{groupId}/images'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateImageDto',
    });
    expect(document.paths['/images/{imageId}'].delete.responses['403'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorResponseDto',
    });
    expect(document.components.schemas.CreatedImageResponseDto.required).toEqual(['newItem', 'uploadUrl']);
    expect(document.paths['/images/{imageId}/photo'].put.requestBody.content).toEqual({
      'image/jpeg': { schema: { type: 'string', format: 'binary' } },
      'image/png': { schema: { type: 'string', format: 'binary' } },
      'image/webp': { schema: { type: 'string', format: 'binary' } },
    });
  });
});
