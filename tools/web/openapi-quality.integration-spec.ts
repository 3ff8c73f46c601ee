import type { OpenAPIObject } from '@nestjs/swagger';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOfflineOpenApiDocument, formatOpenApiDocument } from './openapi-document.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** Opaque paging tokens are valid only as a previous page returned them: no example could be sent as is. */
const WITHOUT_EXAMPLE = new Set(['nextKey']);

interface SchemaObject {
  $ref?: string;
  type?: string;
  allOf?: unknown[];
  example?: unknown;
  properties?: Record<string, SchemaObject>;
}
interface ParameterObject {
  name: string;
  example?: unknown;
  schema?: SchemaObject;
}
interface ResponseObject {
  content?: Record<string, { schema?: SchemaObject; example?: unknown }>;
}
interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  responses: Record<string, ResponseObject>;
}
interface Operation {
  name: string;
  operation: OperationObject;
}
/** The health check answers its own report when degraded, as load balancers expect, not the error body. */
const OWN_ERROR_BODIES = new Set(['GET /health 503']);

describe('the OpenAPI document’s quality', () => {
  let document: OpenAPIObject;
  let operations: Operation[];

  beforeAll(async () => {
    document = await createOfflineOpenApiDocument();
    operations = Object.entries(
      document.paths as Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>>,
    ).flatMap(([route, item]) =>
      METHODS.flatMap((method) =>
        item[method] ? [{ name: `${method.toUpperCase()} ${route}`, operation: item[method] }] : [],
      ),
    );
  });

  it('passes `redocly lint` (its recommended rules, redocly.yaml) with no error', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'udagram-openapi-'));
    try {
      const file = path.join(directory, 'openapi.json');
      await writeFile(file, formatOpenApiDocument(document));

      const run = await promisify(execFile)(
        path.join(ROOT, 'node_modules/.bin/redocly'),
        ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json'],
        { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      ).catch((error: { stdout?: string; stderr?: string }) => error);

      const report = JSON.parse(run.stdout ?? '{}') as {
        totals?: { errors: number };
        problems?: { ruleId: string; message: string; severity: string }[];
      };
      expect(report.problems?.filter((problem) => problem.severity === 'error') ?? ['no report'], run.stderr).toEqual(
        [],
      );
      expect(report.totals?.errors).toBe(0);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 90_000);

  it('names every operation with a stable camelCase operationId, each once', () => {
    const ids = operations.map(({ operation }) => operation.operationId);

    expect(ids.filter((id) => !/^[a-z][A-Za-z]+$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists every error response of every route with the shared error body and an example of it', () => {
    const missing = operations.flatMap(({ name, operation }) => {
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      if (errors.length === 0 && name !== 'GET /health') return [`${name}: no error response`];
      return errors.flatMap(([status, response]) => {
        const json = response.content?.['application/json'];
        if (OWN_ERROR_BODIES.has(`${name} ${status}`)) return json?.example === undefined ? [`${name} ${status}`] : [];
        const shared = json?.schema?.$ref === '#/components/schemas/ErrorResponseDto';
        const example = json?.example as { statusCode?: number } | undefined;
        return shared && example?.statusCode === Number(status) ? [] : [`${name} ${status}`];
      });
    });

    expect(missing).toEqual([]);
  });

  it('gives every parameter and every schema property an example a person can send as is', () => {
    const parameters = operations.flatMap(({ name, operation }) =>
      (operation.parameters ?? [])
        .filter((parameter) => !WITHOUT_EXAMPLE.has(parameter.name))
        .filter((parameter) => parameter.example === undefined && parameter.schema?.example === undefined)
        .map((parameter) => `${name} ${parameter.name}`),
    );
    const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
    const properties = Object.entries(schemas).flatMap(([schemaName, schema]) =>
      Object.entries(schema.properties ?? {})
        .filter(([property]) => !WITHOUT_EXAMPLE.has(property))
        // References (and arrays or allOf of them) take their examples from the referenced schema.
        .filter(
          ([, property]) => property.$ref === undefined && property.type !== 'array' && property.allOf === undefined,
        )
        .filter(([, property]) => property.example === undefined)
        .map(([property]) => `${schemaName}.${property}`),
    );

    expect([...parameters, ...properties]).toEqual([]);
  });

  it('explains in its security schemes how to get a token, locally and in AWS', () => {
    const schemes = document.components?.securitySchemes as Record<string, { description?: string; flows?: object }>;

    expect(schemes.oauth2!.description).toMatch(/locally.*any user name.*in AWS.*Auth0/is);
    expect(schemes.oauth2!.flows).toEqual({
      authorizationCode: {
        authorizationUrl: 'http://127.0.0.1:9/authorize',
        tokenUrl: 'http://127.0.0.1:9/oauth/token',
        scopes: { openid: expect.any(String), profile: expect.any(String) },
      },
    });
    expect(schemes.bearer!.description).toContain('GET /token?sub=');
  });

  it('points Swagger UI’s sign-in at the deployment’s Auth0 tenant when made with its settings', async () => {
    const deployed = await createOfflineOpenApiDocument({
      JWT_ISSUER: 'https://udagram.eu.auth0.com/',
      JWT_AUDIENCE: 'https://api.udagram.example',
      SWAGGER_UI_CLIENT_ID: 'Xy12SwaggerUi',
    });

    const oauth2 = (
      deployed.components?.securitySchemes as Record<
        string,
        { description: string; flows: { authorizationCode: object } }
      >
    ).oauth2!;
    expect(oauth2.flows.authorizationCode).toMatchObject({
      authorizationUrl: 'https://udagram.eu.auth0.com/authorize',
      tokenUrl: 'https://udagram.eu.auth0.com/oauth/token',
    });
    expect(oauth2.description).toContain('client `Xy12SwaggerUi`, audience `https://api.udagram.example`');
  });
});
