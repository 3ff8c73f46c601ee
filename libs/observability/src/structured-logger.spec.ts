import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lambdaInvocations } from './lambda-invocation.js';
import { withLogKeys } from './log-context.js';
import type { LogSink } from './log-sink.js';
import { StructuredLogger } from './structured-logger.js';

function capturingSink() {
  const lines: string[] = [];
  const sink: LogSink = { write: (json) => void lines.push(json) };
  return { sink, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

describe('StructuredLogger', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.POWERTOOLS_LOG_LEVEL;
    delete process.env.LOG_LEVEL;
    delete process.env.AWS_LAMBDA_LOG_LEVEL;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('writes one JSON object per line with Powertools’ keys and Nest’s context', () => {
    const { sink, lines, parsed } = capturingSink();
    new StructuredLogger('udagram-api', sink).log('Image 1: CLASSIFIED', 'ImageLabeller');

    expect(lines).toHaveLength(1);
    const [line] = parsed();
    expect(line).toEqual({
      level: 'INFO',
      message: 'Image 1: CLASSIFIED',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'udagram-api',
      sampling_rate: 0,
      context: 'ImageLabeller',
    });
  });

  it('maps Nest’s levels to Powertools’ and keeps an error’s stack', () => {
    const { sink, parsed } = capturingSink();
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const logger = new StructuredLogger('notifier', sink);
    logger.warn('slow', 'Notifier');
    logger.debug('details', 'Notifier');
    logger.fatal('gone', 'Notifier');
    logger.error('failed', 'Error: failed\n    at somewhere (file.ts:1:1)', 'Notifier');
    logger.error(new Error('thrown'));

    const lines = parsed();
    expect(lines.map((line) => line.level)).toEqual(['WARN', 'DEBUG', 'CRITICAL', 'ERROR', 'ERROR']);
    expect(lines[3]).toMatchObject({
      message: 'failed',
      stack: 'Error: failed\n    at somewhere (file.ts:1:1)',
      context: 'Notifier',
    });
    expect(lines[4]).toMatchObject({ message: 'thrown', error: { name: 'Error', message: 'thrown' } });
  });

  it('reads the level from the environment when it writes its first line', () => {
    const { sink, parsed } = capturingSink();
    const logger = new StructuredLogger('websocket', sink);
    process.env.LOG_LEVEL = 'WARN';
    logger.log('not shown');
    logger.warn('shown');

    expect(parsed().map((line) => line.message)).toEqual(['shown']);
  });

  it('logs Nest’s start-up lines at DEBUG, so an INFO cold start prints none of them', () => {
    const { sink, parsed } = capturingSink();
    const logger = new StructuredLogger('udagram-api', sink);
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/groups, GET} route', 'RouterExplorer');
    logger.log('Group created', 'GroupsService');

    expect(parsed().map((line) => line.message)).toEqual(['Group created']);
  });

  it('adds the current scope’s keys, each concurrent scope its own, and the Lambda context in an invocation', async () => {
    const { sink, parsed } = capturingSink();
    const logger = new StructuredLogger('classification-worker', sink);
    const invocation = lambdaInvocations('classification-worker');
    const context = { awsRequestId: 'req-1', functionName: 'udagram-classification-worker', memoryLimitInMB: '1024' };

    await invocation(context, () =>
      Promise.all(
        ['a', 'b'].map((imageId, index) =>
          withLogKeys({ imageId, correlationId: `c-${imageId}` }, async () => {
            await new Promise((resolve) => setTimeout(resolve, 10 - index * 5));
            logger.log(`Image ${imageId}`);
          }),
        ),
      ),
    );
    await invocation({ ...context, awsRequestId: 'req-2' }, async () => logger.log('second'));
    logger.log('outside');

    const [b, a, second, outside] = parsed();
    expect(a).toMatchObject({
      message: 'Image a',
      imageId: 'a',
      correlationId: 'c-a',
      function_request_id: 'req-1',
      cold_start: true,
    });
    expect(b).toMatchObject({
      message: 'Image b',
      imageId: 'b',
      correlationId: 'c-b',
      function_name: 'udagram-classification-worker',
    });
    expect(second).toMatchObject({ function_request_id: 'req-2', cold_start: false, function_memory_size: 1024 });
    expect(second).not.toHaveProperty('imageId');
    expect(outside).not.toHaveProperty('function_request_id');
  });

  it('writes a line as the service whose invocation logs it, since Nest keeps one logger per process', () => {
    const written: Record<string, string[]> = {};
    const directory = { write: (json: string) => void (written.default ??= []).push(json) };
    const logger = new StructuredLogger('thumbnail-worker', directory);
    const classification = lambdaInvocations('classification-worker');

    classification({ awsRequestId: 'req-1', functionName: 'classification-worker' }, () =>
      logger.log('in the classification worker'),
    );
    logger.log('outside');

    expect(written.default!.map((line) => JSON.parse(line) as { service: string; message: string })).toMatchObject([
      { service: 'classification-worker', message: 'in the classification worker' },
      { service: 'thumbnail-worker', message: 'outside' },
    ]);
  });

  it('never writes a JWT, a bearer token or a presigned URL’s credentials, wherever they sit in the line', () => {
    const { sink, lines } = capturingSink();
    const logger = new StructuredLogger('udagram-api', sink);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    const presigned =
      'http://127.0.0.1:4569/udagram-images/images/1?X-Amz-Algorithm=AWS4&X-Amz-Credential=K%2F1&X-Amz-Signature=abc';
    logger.warn(`Rejected Bearer ${jwt}`, { url: presigned });
    logger.error(new Error(`GET ${presigned} failed`));

    const written = lines.join('\n');
    expect(written).toContain('images/1?[redacted]');
    expect(written).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}/);
    expect(written).not.toMatch(/X-Amz-(Signature|Credential|Security-Token)/i);
  });
});
