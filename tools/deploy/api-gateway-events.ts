import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';

/**
 * Synthetic API Gateway events shaped as the deployed stack receives them, for driving a Lambda handler without
 * API Gateway: HTTP API (payload 2.0, what serverless.ts deploys) and REST API (1.0, what a REST API would send).
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** With its query string, e.g. `/groups?limit=2`. */
  path: string;
  /** Header names as a client sends them; each API Gateway flavour passes them on its own way. */
  headers?: Record<string, string>;
  /**
   * Sent as JSON unless it is a string already; a Buffer is a binary body, which API Gateway passes base64-encoded
   * with `isBase64Encoded: true` (HTTP API does so for any Content-Type it does not know as text).
   */
  body?: unknown;
}

/** A handler's answer with the headers of either payload format as one lower-case map. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const ACCOUNT_ID = '123456789012';
const SOURCE_IP = '203.0.113.10';

export function httpApiEvent(request: HttpRequest): APIGatewayProxyEventV2 {
  const { pathname, search, searchParams } = new URL(request.path, 'https://api.invalid');
  const now = new Date();
  // HTTP API lower-cases header names and joins repeated ones with commas.
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: pathname,
    rawQueryString: search.slice(1),
    headers,
    queryStringParameters: search === '' ? undefined : Object.fromEntries(searchParams),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: 'httpapi1',
      domainName: 'httpapi1.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'httpapi1',
      http: { method: request.method, path: pathname, protocol: 'HTTP/1.1', sourceIp: SOURCE_IP, userAgent: 'vitest' },
      requestId: requestId(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: encodeBody(request.body),
    isBase64Encoded: Buffer.isBuffer(request.body),
  };
}

export function restApiEvent(request: HttpRequest): APIGatewayProxyEvent {
  const { pathname, search, searchParams } = new URL(request.path, 'https://api.invalid');
  const headers = request.headers ?? {};
  const query = search === '' ? null : Object.fromEntries(searchParams);
  const multiValueQuery = search === '' ? null : groupValues([...searchParams]);
  return {
    resource: '/{proxy+}',
    path: pathname,
    httpMethod: request.method,
    // REST API passes names as sent, in both maps.
    headers,
    multiValueHeaders: groupValues(Object.entries(headers)),
    queryStringParameters: query,
    multiValueQueryStringParameters: multiValueQuery,
    pathParameters: { proxy: pathname.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: 'restapi1',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: SOURCE_IP,
        user: null,
        userAgent: 'vitest',
        userArn: null,
      },
      path: `/prod${pathname}`,
      stage: 'prod',
      requestId: requestId(),
      requestTimeEpoch: Date.now(),
      resourceId: 'proxy1',
      resourcePath: '/{proxy+}',
    },
    body: encodeBody(request.body) ?? null,
    isBase64Encoded: Buffer.isBuffer(request.body),
  };
}

/** The fields of a Lambda context a handler may read; nothing here calls back into a runtime. */
export function lambdaContext(functionName = 'udagram-test-api'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'synthetic',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function normalizeResponse(
  result: APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult | string,
): HttpResponse {
  if (typeof result === 'string') throw new TypeError('Expected a structured API Gateway response, got a bare string');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const multiValueHeaders = 'multiValueHeaders' in result ? (result.multiValueHeaders ?? {}) : {};
  for (const [name, values] of Object.entries(multiValueHeaders)) headers[name.toLowerCase()] = values.join(',');
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode ?? 200,
    headers,
    body: result.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body,
  };
}

function encodeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body.toString('base64');
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function groupValues(entries: [string, string][]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of entries) (grouped[name] ??= []).push(value);
  return grouped;
}

function requestId(): string {
  return randomUUID();
}
