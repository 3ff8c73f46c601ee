import { beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../../../tools/load/format-report.js';
import type { LoadReport } from '../../../../tools/load/load-report.js';
import { runFaultsUnderLoad } from '../../../../tools/load/run-faults-under-load.js';
import { DYNAMODB_UNAVAILABLE_BODY, violationsOf } from '../../../../tools/load/verdict.js';

// The reduced form of `npm run load:faults`, on a local system of its own (a persisted data directory, and a
// DynamoDB restart that must not disturb the run's shared cloud). About 10 s; the limit leaves room on a busy machine.
const RUN_LIMIT_MS = 150_000;

describe('faults under load, reduced: 30 images, 15 at once, 1 classifier invocation in 3 faulted, one DynamoDB restart', () => {
  let report: LoadReport;

  beforeAll(async () => {
    report = await runFaultsUnderLoad({
      images: 30,
      concurrency: 15,
      faultEvery: 3,
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
    expect(report.final).toMatchObject({ records: 30, classified: 27, failedByType: { UndecodableImage: 3 }, pending: 0 });
  });

  it('was seen by the clients and the pipeline: 503s with the shared error body, and upload events failing', () => {
    const unavailable = report.apiExchanges.filter((exchange) => exchange.status === 503);

    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable[0]!.errorBody).toEqual(DYNAMODB_UNAVAILABLE_BODY);
    expect(report.uploadEvents).toMatchObject({ delivered: 30, failed: expect.any(Number) });
    expect(report.uploadEvents.failed).toBeGreaterThan(0);
  });

  it('left the images of the failed events PENDING for the backfill, which finished them', () => {
    expect(report.beforeBackfill.pending).toBeGreaterThan(0);
    expect(report.backfill.classified + report.backfill.failed).toBeGreaterThanOrEqual(report.beforeBackfill.pending);
    expect(report.final.pending).toBe(0);
  });

  it('crashed, timed out and throttled the classifier along the way', () => {
    expect(report.faults.crash).toBeGreaterThan(0);
    expect(report.faults.timeout).toBeGreaterThan(0);
    expect(report.faults.throttle).toBeGreaterThan(0);
  });
});
