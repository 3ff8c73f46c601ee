import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { DynamicModule } from '@nestjs/common';

/**
 * X-Ray tracing with Powertools' Tracer, loaded only where it is used. Importing the Tracer loads aws-xray-sdk-core
 * (about 125 KB minified, 90–240 ms to import here), so nothing on the HTTP API's path imports it: the API keeps
 * Lambda's own active tracing (its invocation and init segments) without SDK subsegments, and its bundle stays
 * without the X-Ray SDK. The queue workers and the notifier import TracingModule, whose factory loads the Tracer
 * when tracing is on.
 */

/** A function that instruments an AWS SDK v3 client (X-Ray subsegments for its calls) and returns it. */
export type AwsClientCapture = <Client extends object>(client: Client) => Client;

/** Injected (optionally) by the factory providers that build AWS clients; absent means no tracing. */
export const AWS_CLIENT_CAPTURE = Symbol('AWS_CLIENT_CAPTURE');

const untraced: AwsClientCapture = (client) => client;

/**
 * Tracing runs only in Lambda with an X-Ray daemon to send to (Lambda sets AWS_XRAY_DAEMON_ADDRESS), and not when
 * POWERTOOLS_TRACE_ENABLED=false. Locally and in tests there is no daemon: the X-Ray SDK is never loaded, so it
 * prints nothing about missing segments.
 */
export function tracingEnabled(environment: NodeJS.ProcessEnv): boolean {
  return (
    environment.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' &&
    environment.AWS_LAMBDA_FUNCTION_NAME !== undefined &&
    environment.AWS_XRAY_DAEMON_ADDRESS !== undefined
  );
}

/** The process's tracer once TracingModule has loaded it; undefined while tracing is off. */
let activeTracer: Tracer | undefined;

async function loadTracer(): Promise<Tracer> {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  // The service name comes from POWERTOOLS_SERVICE_NAME (serverless.ts sets it per function).
  activeTracer ??= new Tracer();
  return activeTracer;
}

/**
 * AWS_CLIENT_CAPTURE for the whole application (global): Powertools' captureAWSv3Client when tracing is on, the
 * client unchanged otherwise. A plain object rather than a decorated class, so that a bundle that never imports it
 * (the API's) drops it, and the Tracer with it.
 */
export const TracingModule: DynamicModule = {
  module: class TracingModule {},
  global: true,
  providers: [
    {
      provide: AWS_CLIENT_CAPTURE,
      useFactory: async (): Promise<AwsClientCapture> => {
        if (!tracingEnabled(process.env)) return untraced;
        const tracer = await loadTracer();
        return (client) => tracer.captureAWSv3Client(client);
      },
    },
  ],
  exports: [AWS_CLIENT_CAPTURE],
};

/** The ids a trace can be found by (X-Ray annotations are indexed: `annotation.imageId = "…"`). */
export interface ImageTraceIds {
  imageId: string;
  groupId: string;
}

/**
 * Runs `work` in an X-Ray subsegment named `name`, annotated with the image's ids, so that the classifier call and
 * the DynamoDB writes it makes appear under it. Lambda's own segment cannot carry annotations, hence the subsegment.
 * Without tracing it only runs `work`.
 */
export async function inImageSubsegment<Result>(
  name: string,
  ids: ImageTraceIds,
  work: () => Promise<Result>,
): Promise<Result> {
  const tracer = activeTracer;
  if (tracer === undefined || !tracer.isTracingEnabled()) return work();
  return (await tracer.provider.captureAsyncFunc(name, async (subsegment) => {
    subsegment?.addAnnotation('imageId', ids.imageId);
    subsegment?.addAnnotation('groupId', ids.groupId);
    try {
      return await work();
    } catch (error) {
      subsegment?.addError(error as Error);
      throw error;
    } finally {
      subsegment?.close();
    }
  })) as Result;
}
