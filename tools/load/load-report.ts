import type { InjectedFault } from '@dev/lambda-emulator';
import type { BackfillCounts } from '@app/pipeline-queues';
import type { DynamoDbFaultCounts } from './dynamodb-fault-injection.js';
import type { ImageAudit } from './image-audit.js';
import type { LoadOptions } from './load-options.js';
import type { ReadsAndDeletes } from './reads-and-deletes.js';
import type { ApiExchange } from './recording-api-client.js';

/** When DynamoDB Local was down: from the start of its restart until it answered again (ms since the run started). */
export interface OutageWindow {
  startedAt: number;
  endedAt: number;
}

/** Everything a load run measured; `violationsOf` judges it, `formatReport` prints it. */
export interface LoadReport {
  options: LoadOptions;
  created: number;
  uploaded: number;
  /** Uploads a client abandoned, and why. */
  abandoned: string[];
  apiExchanges: ApiExchange[];
  /** Statuses of the presigned PUTs to S3. */
  uploadStatuses: Record<number, number>;
  outage: OutageWindow | undefined;
  /** The classification worker's invocations and records; records put back (failures, refusals); the injected faults. */
  pipeline: {
    invocations: number;
    records: number;
    failedRecords: number;
    workerCrashes: number;
    duplicated: number;
    outOfOrder: number;
    poisonedRefusals: number;
  };
  classifierInvocations: number;
  faults: Record<InjectedFault, number>;
  /** The images once the queues were empty, and the dead letters by then, redriven, and left at the end. */
  beforeBackfill: ImageAudit;
  deadLetters: { sent: number; redriven: number; left: string[] };
  backfill: BackfillCounts;
  final: ImageAudit;
  /** DynamoDB faults injected into the API's requests, over the whole run. */
  dynamoDbFaults: DynamoDbFaultCounts;
  /** Reads and deletes of the settled images, all at once, under the same DynamoDB faults. */
  readsAndDeletes: ReadsAndDeletes;
  /** The survivors once the deletes are done. */
  afterDeletes: ImageAudit;
  /** Durations in ms. */
  timings: {
    systemStart: number;
    load: number;
    settle: number;
    backfill: number;
    readsAndDeletes: number;
    total: number;
  };
}
