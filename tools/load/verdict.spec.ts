import { describe, expect, it } from 'vitest';
import type { ImageAudit } from './image-audit.js';
import type { LoadReport } from './load-report.js';
import type { ApiExchange } from './recording-api-client.js';
import { DYNAMODB_UNAVAILABLE_BODY, violationsOf } from './verdict.js';

const CREATE = 'POST /groups/:groupId/images';
const clean: ImageAudit = {
  records: 2,
  classified: 1,
  failedByType: { UndecodableImage: 1 },
  failedWithoutReason: [],
  pending: 0,
  lost: [],
  duplicatedUploads: [],
  unacknowledged: [],
  staleLabelEntries: [],
  missingLabelEntries: [],
  classifiedWithoutThumbnail: [],
  wrongOutcomes: [],
};
const exchange = (status: number, startedAt: number, endedAt: number, errorBody?: unknown): ApiExchange => ({
  route: CREATE,
  status,
  startedAt,
  endedAt,
  errorBody,
});

function passingReport(): LoadReport {
  return {
    options: { images: 2, concurrency: 2, faultEvery: 3, timeoutSeconds: 60, dynamoDbFaultPercent: 10 },
    created: 2,
    uploaded: 2,
    abandoned: [],
    apiExchanges: [
      exchange(201, 100, 150),
      exchange(503, 900, 1_100, DYNAMODB_UNAVAILABLE_BODY),
      exchange(201, 3_000, 3_050),
    ],
    uploadStatuses: { 200: 2 },
    outage: { startedAt: 1_000, endedAt: 2_500 },
    pipeline: {
      invocations: 3,
      records: 6,
      failedRecords: 2,
      workerCrashes: 1,
      duplicated: 1,
      outOfOrder: 1,
      poisonedRefusals: 5,
    },
    classifierInvocations: 4,
    faults: { crash: 1, timeout: 0, throttle: 0 },
    beforeBackfill: { ...clean, classified: 0, failedByType: {}, pending: 2 },
    deadLetters: { sent: 1, redriven: 1, left: [] },
    backfill: { classificationsQueued: 0, thumbnailsQueued: 0, uploadsMissing: 0, awaitingUpload: 0, skipped: 0 },
    final: clean,
    dynamoDbFaults: { throttled: 3, conflicts: 1, unprocessedBatches: 1 },
    readsAndDeletes: {
      exchanges: [
        { ...exchange(204, 4_000, 4_010), route: 'DELETE /images/:imageId' },
        { ...exchange(200, 4_000, 4_010), route: 'GET /images/:imageId' },
        { ...exchange(200, 4_000, 4_010), route: 'GET /groups/:groupId/images' },
        { ...exchange(404, 4_100, 4_110), route: 'GET /images/:imageId (deleted)' },
        // A reset, then the retry finding the image already deleted by the first attempt.
        { ...exchange(0, 4_000, 4_010, 'ECONNRESET'), route: 'DELETE /images/:imageId' },
        { ...exchange(404, 4_020, 4_030), route: 'DELETE /images/:imageId (after a connection reset)' },
      ],
      deleted: ['i1'],
      survivors: [
        {
          imageId: 'i2',
          title: 'Load 1',
          photo: 'text.txt',
          expected: { status: 'FAILED', errorType: 'UndecodableImage' },
        },
      ],
      liveNotFound: [],
      deletedStillServed: [],
      objectsLeft: [],
    },
    afterDeletes: { ...clean, records: 1, classified: 0 },
    timings: { systemStart: 1, load: 1, settle: 1, backfill: 1, readsAndDeletes: 1, total: 5 },
  };
}

describe('violationsOf', () => {
  it('finds none when everything was created, ended, counted once, and 503s came only during the outage', () => {
    expect(violationsOf(passingReport())).toEqual([]);
  });

  it('reports a 500, a 503 entirely outside the outage, and a 503 with another body', () => {
    const report = passingReport();
    report.apiExchanges.push(
      exchange(500, 200, 250, { statusCode: 500 }),
      exchange(503, 2_600, 2_700, DYNAMODB_UNAVAILABLE_BODY),
      exchange(503, 1_500, 1_600, { message: 'Service Unavailable' }),
    );

    expect(violationsOf(report)).toEqual([
      `unexpected API answers: ${CREATE} → 500 (0.20–0.25 s)`,
      `503s outside the DynamoDB restart window: ${CREATE} → 503 (2.60–2.70 s)`,
      '503s without the shared error body: {"message":"Service Unavailable"}',
    ]);
  });

  it('reports images lost, left PENDING, duplicated, without a thumbnail, and dead letters left', () => {
    const report = passingReport();
    report.final = {
      ...clean,
      lost: ['i9'],
      pending: 1,
      duplicatedUploads: ['Load 3'],
      classifiedWithoutThumbnail: ['i1'],
    };
    report.deadLetters.left = ['udagram-classification-dead-letters: {"imageId":"i2"}'];

    expect(violationsOf(report)).toEqual([
      '1 created image(s) lost: i9',
      '1 image(s) still PENDING after the backfill',
      'two records or more for one upload: Load 3',
      'CLASSIFIED without a thumbnail: i1',
      'dead letters left after the redrive: udagram-classification-dead-letters: {"imageId":"i2"}',
    ]);
  });

  it('reports a run that was not under load and faults: images not created, no restart, no fault', () => {
    const report = passingReport();
    report.created = 1;
    report.uploaded = 1;
    report.outage = undefined;
    report.faults = { crash: 0, timeout: 0, throttle: 0 };
    report.dynamoDbFaults = { throttled: 0, conflicts: 0, unprocessedBatches: 0 };
    report.apiExchanges = [exchange(201, 100, 150)];
    report.deadLetters = { sent: 0, redriven: 0, left: [] };
    report.pipeline = { ...report.pipeline, workerCrashes: 0, outOfOrder: 0 };

    expect(violationsOf(report)).toEqual([
      'only 1 of 2 images were created',
      'no message went to the dead-letter queue and back (the redrive was not exercised)',
      'no worker crashed mid-batch',
      'no duplicate or no out-of-order delivery was injected',
      'DynamoDB Local was not restarted',
      'no classifier fault was injected (4 invocations)',
      'no DynamoDB fault was injected',
    ]);
  });

  it('reports, under DynamoDB faults, a 500, a 503, a live image not found, a delete not done or leaving things behind', () => {
    const report = passingReport();
    const phase = report.readsAndDeletes;
    phase.exchanges.push(
      { ...exchange(500, 4_200, 4_300), route: 'DELETE /images/:imageId' },
      { ...exchange(404, 4_200, 4_300), route: 'GET /images/:imageId' },
      { ...exchange(503, 4_200, 4_300), route: 'GET /images?label' },
      { ...exchange(404, 4_200, 4_300), route: 'GET /images/:imageId (after a connection reset)' },
    );
    phase.liveNotFound = ['i2 (GET /images/:imageId)'];
    phase.deleted = [];
    phase.deletedStillServed = ['i1 answered 200'];
    phase.objectsLeft = ['images/i1'];
    report.afterDeletes = {
      ...clean,
      unacknowledged: ['i1'],
      missingLabelEntries: ['i3 fox'],
      classifiedWithoutThumbnail: ['i3'],
    };

    expect(violationsOf(report)).toEqual([
      'unexpected answers to reads and deletes: DELETE /images/:imageId → 500 (4.20–4.30 s); GET /images/:imageId → 404 (4.20–4.30 s); ' +
        'GET /images/:imageId (after a connection reset) → 404 (4.20–4.30 s)',
      '503s to reads and deletes (a retry budget gave up): GET /images?label → 503 (4.20–4.30 s)',
      'live images not found: i2 (GET /images/:imageId)',
      'only 0 of 1 deletes answered 204',
      'deleted images still served: i1 answered 200',
      'objects of deleted images left in the bucket: images/i1',
      'records of deleted images still stored: i1',
      'CLASSIFIED images that lost label entries: i3 fox',
      'CLASSIFIED without a thumbnail: i3',
    ]);
  });
});
