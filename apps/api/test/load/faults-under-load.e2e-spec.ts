import { beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../../../tools/load/format-report.js';
import type { LoadReport } from '../../../../tools/load/load-report.js';
import { runFaultsUnderLoad } from '../../../../tools/load/run-faults-under-load.js';
import { DYNAMODB_UNAVAILABLE_BODY, violationsOf } from '../../../../tools/load/verdict.js';

// The reduced form of `npm run load:faults`, on a local system of its own (a persisted data directory, and a
// DynamoDB restart that must not disturb the run's shared cloud). 60–90 s on a busy shared 2-core machine, the
// DynamoDB-fault reads and deletes included; the limit leaves room.
const RUN_LIMIT_MS = 150_000;

describe('faults under load, reduced: 30 images, 15 at once, 1 classifier invocation in 3 faulted, worker crashes, duplicates, a dead letter, one DynamoDB restart, 10% DynamoDB faults', () => {
  let report: LoadReport;

  beforeAll(async () => {
    report = await runFaultsUnderLoad({
      images: 30,
      concurrency: 15,
      faultEvery: 3,
      dynamoDbFaultPercent: 10,
      timeoutSeconds: RUN_LIMIT_MS / 1000,
      log: () => undefined,
      detail: () => undefined,
      signal: AbortSignal.timeout(RUN_LIMIT_MS),
    });
  }, RUN_LIMIT_MS + 30_000);

  it('passes every check of the full run: nothing lost, nothing duplicated, no 500, 503s only during the restart', () => {
    expect(violationsOf(report), formatReport(report, violationsOf(report))).toEqual([]);
  });

  it('ends every upload: the photos CLASSIFIED with their labels, the text file and the truncated JPEG FAILED as undecodable', () => {
    expect(report).toMatchObject({ created: 30, uploaded: 30, abandoned: [] });
    expect(report.final).toMatchObject({
      records: 30,
      classified: 27,
      failedByType: { UndecodableImage: 3 },
      pending: 0,
    });
  });

  it('was seen by the clients and the pipeline: 503s with the shared error body, records put back on the queue', () => {
    const unavailable = report.apiExchanges.filter((exchange) => exchange.status === 503);

    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable[0]!.errorBody).toEqual(DYNAMODB_UNAVAILABLE_BODY);
    expect(report.pipeline.failedRecords).toBeGreaterThan(0);
  });

  it('crashed a worker mid-batch, delivered twice and out of order, and dead-lettered a message that the redrive brought back', () => {
    expect(report.pipeline.workerCrashes).toBeGreaterThan(0);
    expect(report.pipeline.duplicated).toBeGreaterThan(0);
    expect(report.pipeline.outOfOrder).toBeGreaterThan(0);
    expect(report.pipeline.poisonedRefusals).toBeGreaterThanOrEqual(5);
    expect(report.deadLetters.redriven).toBeGreaterThanOrEqual(1);
    expect(report.deadLetters.left).toEqual([]);
    expect(report.final.classifiedWithoutThumbnail).toEqual([]);
    expect(report.final.pending).toBe(0);
  });

  it('threw DynamoDB throttling, transaction conflicts and unprocessed keys at the API, which absorbed them all', () => {
    expect(report.dynamoDbFaults.throttled).toBeGreaterThan(0);
    expect(report.dynamoDbFaults.conflicts).toBeGreaterThan(0);
    expect(report.dynamoDbFaults.unprocessedBatches).toBeGreaterThan(0);
    expect(report.readsAndDeletes.exchanges.filter((exchange) => exchange.status >= 500)).toEqual([]);
  });

  it('deleted 1 image in 4 while the others were read: none of them answered 404, nothing was left behind', () => {
    expect(report.readsAndDeletes).toMatchObject({ liveNotFound: [], deletedStillServed: [], objectsLeft: [] });
    expect(report.readsAndDeletes.deleted).toHaveLength(8);
    expect(report.afterDeletes).toMatchObject({
      records: 22,
      lost: [],
      staleLabelEntries: [],
      missingLabelEntries: [],
    });
  });

  it('crashed, timed out and throttled the classifier along the way', () => {
    expect(report.faults.crash).toBeGreaterThan(0);
    expect(report.faults.timeout).toBeGreaterThan(0);
    expect(report.faults.throttle).toBeGreaterThan(0);
  });
});
