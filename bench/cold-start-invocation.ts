/**
 * One cold start, run by bench/cold-start.ts in a fresh `node` process (as Lambda starts one): load the bundled
 * handler given as argument, hand it its function's first event, report the times to the parent over IPC. Times are
 * from the process's own start (performance.now()), so Node's boot counts for every handler alike; the CPU time
 * (user + system, all threads) is the same span measured in what the process consumed, which other processes on a
 * shared machine disturb far less than the wall clock.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { pathToFileURL } from 'node:url';
import { httpApiEvent, lambdaContext, normalizeResponse } from '../tools/deploy/api-gateway-events.js';

/** Which event the handler gets first: the function it belongs to. */
export type ColdStartEvent = 'http' | 'classification' | 'thumbnail' | 'notifier' | 'websocket';

export interface ColdStartSample {
  /** Process start → bundle imported. */
  loadedMs: number;
  /** Process start → first event answered. */
  respondedMs: number;
  /** CPU time consumed by the process from its start to the answer. */
  cpuMs: number;
  /** The answer, reduced to what the parent checks (e.g. `200 10 items`, `0 batch item failures`). */
  answer: string;
  /** The Node that ran it (process.version). */
  nodeVersion: string;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** The first event of each function, and how its answer reads. */
const FIRST_EVENTS: Record<ColdStartEvent, { event: () => unknown; answer: (result: unknown) => string }> = {
  // The visitor's first page.
  http: {
    event: () => httpApiEvent({ method: 'GET', path: '/groups?limit=10' }),
    answer: (result) => {
      const response = normalizeResponse(result as Parameters<typeof normalizeResponse>[0]);
      const items = response.statusCode === 200 ? (JSON.parse(response.body) as { items: unknown[] }).items.length : 0;
      return `${response.statusCode} ${items} items`;
    },
  },
  // A job for an image that no longer exists: looked up in DynamoDB, then dropped (deleted from the queue).
  classification: {
    event: () => sqsEvent(JSON.stringify({ imageId: '00000000-0000-4000-8000-000000000000' })),
    answer: batchItemFailures,
  },
  // An upload event outside the photos' prefix: recognised as not the worker's and deleted.
  thumbnail: {
    event: () =>
      sqsEvent(
        JSON.stringify({
          Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'thumbnails/bench.jpg' } } }],
        }),
      ),
    answer: batchItemFailures,
  },
  // An image's status change in a group nobody watches: one subscriptions query, no post.
  notifier: {
    event: () => ({ Records: [statusChange()] }),
    answer: batchItemFailures,
  },
  // A client connecting: one DynamoDB write.
  websocket: {
    event: () => ({
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        connectionId: `bench-${process.pid}-${Date.now()}`,
      },
    }),
    answer: (result) => `${(result as { statusCode: number }).statusCode}`,
  },
};

const [bundle, kind = 'http'] = process.argv.slice(2) as [string, ColdStartEvent | undefined];
const firstEvent = FIRST_EVENTS[kind];
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };
const loadedMs = performance.now();
// A fresh invocation with the whole of a long timeout ahead (the notifier defers work when less than 45 s are left).
const result = await handler(firstEvent.event(), { ...lambdaContext(), getRemainingTimeInMillis: () => 300_000 });
const respondedMs = performance.now();
const { user, system } = process.cpuUsage();

const sample: ColdStartSample = {
  loadedMs,
  respondedMs,
  cpuMs: (user + system) / 1000,
  answer: firstEvent.answer(result),
  nodeVersion: process.version,
};
process.send!(sample, () => process.exit(0));

function sqsEvent(body: string): unknown {
  const attributes = {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 'bench',
    ApproximateFirstReceiveTimestamp: '0',
  };
  return {
    Records: [
      {
        messageId: 'bench',
        receiptHandle: 'bench',
        body,
        attributes,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
      },
    ],
  };
}

function statusChange(): unknown {
  const image = (status: string) =>
    marshall({
      groupId: '5439dc44-4e3b-4c5e-9f3e-0a1b2c3d4e5f',
      timestampId: 't#bench',
      imageId: 'bench',
      status,
      classLabel: 'tabby',
    });
  return {
    eventName: 'MODIFY',
    dynamodb: { OldImage: image('PENDING'), NewImage: image('CLASSIFIED'), SequenceNumber: '1' },
  };
}

function batchItemFailures(result: unknown): string {
  return `${(result as { batchItemFailures: unknown[] }).batchItemFailures.length} batch item failures`;
}
