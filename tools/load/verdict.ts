import { isDeepStrictEqual } from 'node:util';
import type { LoadReport, OutageWindow } from './load-report.js';
import { DELETE_EVERY } from './reads-and-deletes.js';
import { AFTER_RESET, NO_ANSWER, type ApiExchange } from './recording-api-client.js';

/** What the API answers while DynamoDB is down: the shared error body (README, "Errors"). */
export const DYNAMODB_UNAVAILABLE_BODY = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'DynamoDB is unavailable; try again later',
};

const EXPECTED_API_STATUSES = new Set([201, 503]);

/** Every way the run broke the promise "faults under load: nothing lost"; empty when it kept it. */
export function violationsOf(report: LoadReport): string[] {
  const { final } = report;
  const violations: string[] = [];
  const add = (broken: boolean, violation: string) => {
    if (broken) violations.push(violation);
  };
  const list = (items: readonly string[]) =>
    items.slice(0, 5).join('; ') + (items.length > 5 ? `; … (${items.length})` : '');

  add(report.created < report.options.images, `only ${report.created} of ${report.options.images} images were created`);
  add(report.abandoned.length > 0, `uploads abandoned: ${list(report.abandoned)}`);
  add(report.uploaded < report.created, `only ${report.uploaded} of ${report.created} photos were uploaded`);
  add(final.lost.length > 0, `${final.lost.length} created image(s) lost: ${list(final.lost)}`);
  add(final.pending > 0, `${final.pending} image(s) still PENDING after the backfill`);
  add(final.duplicatedUploads.length > 0, `two records or more for one upload: ${list(final.duplicatedUploads)}`);
  add(final.unacknowledged.length > 0, `records no client was told about: ${list(final.unacknowledged)}`);
  add(
    final.staleLabelEntries.length > 0,
    `label index entries of images not CLASSIFIED so: ${list(final.staleLabelEntries)}`,
  );
  add(final.missingLabelEntries.length > 0, `label words not indexed: ${list(final.missingLabelEntries)}`);
  add(final.wrongOutcomes.length > 0, `wrong outcomes: ${list(final.wrongOutcomes)}`);
  add(final.failedWithoutReason.length > 0, `FAILED without a reason: ${list(final.failedWithoutReason)}`);
  add(
    final.classifiedWithoutThumbnail.length > 0,
    `CLASSIFIED without a thumbnail: ${list(final.classifiedWithoutThumbnail)}`,
  );
  add(report.deadLetters.left.length > 0, `dead letters left after the redrive: ${list(report.deadLetters.left)}`);
  add(
    report.deadLetters.redriven === 0,
    'no message went to the dead-letter queue and back (the redrive was not exercised)',
  );
  add(report.pipeline.workerCrashes === 0, 'no worker crashed mid-batch');
  add(
    report.pipeline.duplicated === 0 || report.pipeline.outOfOrder === 0,
    'no duplicate or no out-of-order delivery was injected',
  );

  const unexpected = report.apiExchanges.filter((exchange) => !EXPECTED_API_STATUSES.has(exchange.status));
  add(unexpected.length > 0, `unexpected API answers: ${list(unexpected.map(describe))}`);
  const unavailable = report.apiExchanges.filter((exchange) => exchange.status === 503);
  const outside = unavailable.filter((exchange) => !overlaps(exchange, report.outage));
  add(outside.length > 0, `503s outside the DynamoDB restart window: ${list(outside.map(describe))}`);
  const otherBodies = unavailable.filter(
    (exchange) => !isDeepStrictEqual(exchange.errorBody, DYNAMODB_UNAVAILABLE_BODY),
  );
  add(
    otherBodies.length > 0,
    `503s without the shared error body: ${list(otherBodies.map((exchange) => JSON.stringify(exchange.errorBody)))}`,
  );
  const failedPuts = Object.entries(report.uploadStatuses).filter(([status]) => status !== '200');
  add(
    failedPuts.length > 0,
    `photo uploads refused: ${failedPuts.map(([status, count]) => `${status} ×${count}`).join(', ')}`,
  );

  add(report.outage === undefined, 'DynamoDB Local was not restarted');
  const faults = Object.values(report.faults).reduce((sum, count) => sum + count, 0);
  add(faults === 0, `no classifier fault was injected (${report.classifierInvocations} invocations)`);
  return [...violations, ...readsAndDeletesViolations(report)];
}

/** What each route of the reads-and-deletes phase must answer; anything else (a 500, a 404 for a live image) is broken. */
const EXPECTED_PHASE_STATUS: Record<string, number[]> = {
  'GET /images/:imageId': [200],
  'GET /groups/:groupId/images': [200],
  'GET /images?label': [200],
  'DELETE /images/:imageId': [204],
  'GET /images/:imageId (deleted)': [404],
};

/** What a route may answer, a retry after a connection reset included (a DELETE's first attempt may have deleted). */
function expectedStatuses(route: string): number[] {
  if (!route.endsWith(AFTER_RESET)) return EXPECTED_PHASE_STATUS[route] ?? [];
  const first = route.slice(0, -AFTER_RESET.length);
  return first.startsWith('DELETE')
    ? [...(EXPECTED_PHASE_STATUS[first] ?? []), 404]
    : (EXPECTED_PHASE_STATUS[first] ?? []);
}

/** The promises under DynamoDB throttling: no 500, no 404 for a live image, deletes complete, nothing left behind. */
function readsAndDeletesViolations(report: LoadReport): string[] {
  const { readsAndDeletes: phase, afterDeletes: after, dynamoDbFaults } = report;
  const violations: string[] = [];
  const add = (broken: boolean, violation: string) => {
    if (broken) violations.push(violation);
  };
  const list = (items: readonly string[]) =>
    items.slice(0, 5).join('; ') + (items.length > 5 ? `; … (${items.length})` : '');

  const injected = dynamoDbFaults.throttled + dynamoDbFaults.conflicts + dynamoDbFaults.unprocessedBatches;
  add(report.options.dynamoDbFaultPercent > 0 && injected === 0, 'no DynamoDB fault was injected');
  // Connection resets (NO_ANSWER) are the client's and the loopback's, retried like a browser; counted in the report.
  const unexpected = phase.exchanges.filter(
    (exchange) =>
      exchange.status !== 503 &&
      exchange.status !== NO_ANSWER &&
      !expectedStatuses(exchange.route).includes(exchange.status),
  );
  add(unexpected.length > 0, `unexpected answers to reads and deletes: ${list(unexpected.map(describe))}`);
  // Every injected fault is within the retry budgets (see dynamodb-fault-injection.ts): a 503 means one gave up.
  const unavailable = phase.exchanges.filter((exchange) => exchange.status === 503);
  add(unavailable.length > 0, `503s to reads and deletes (a retry budget gave up): ${list(unavailable.map(describe))}`);
  add(phase.liveNotFound.length > 0, `live images not found: ${list(phase.liveNotFound)}`);
  const toDelete = Math.ceil(report.created / DELETE_EVERY);
  add(phase.deleted.length < toDelete, `only ${phase.deleted.length} of ${toDelete} deletes answered 204`);
  add(phase.deletedStillServed.length > 0, `deleted images still served: ${list(phase.deletedStillServed)}`);
  add(phase.objectsLeft.length > 0, `objects of deleted images left in the bucket: ${list(phase.objectsLeft)}`);
  add(after.lost.length > 0, `images lost by the deletes of others: ${list(after.lost)}`);
  add(after.unacknowledged.length > 0, `records of deleted images still stored: ${list(after.unacknowledged)}`);
  add(after.staleLabelEntries.length > 0, `label entries left by deletes: ${list(after.staleLabelEntries)}`);
  add(
    after.missingLabelEntries.length > 0,
    `CLASSIFIED images that lost label entries: ${list(after.missingLabelEntries)}`,
  );
  add(after.wrongOutcomes.length > 0, `images whose outcome changed: ${list(after.wrongOutcomes)}`);
  add(
    after.classifiedWithoutThumbnail.length > 0,
    `CLASSIFIED without a thumbnail: ${list(after.classifiedWithoutThumbnail)}`,
  );
  return violations;
}

/** Whether the request was in flight at some moment of the outage. */
function overlaps(exchange: ApiExchange, outage: OutageWindow | undefined): boolean {
  return outage !== undefined && exchange.startedAt <= outage.endedAt && exchange.endedAt >= outage.startedAt;
}

function describe(exchange: ApiExchange): string {
  return `${exchange.route} → ${exchange.status} (${(exchange.startedAt / 1000).toFixed(2)}–${(exchange.endedAt / 1000).toFixed(2)} s)`;
}
