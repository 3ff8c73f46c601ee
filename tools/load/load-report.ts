import type { InjectedFault } from '@app/lambda-emulator';
import type { BackfillCounts } from '@app/labelling';
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
  uploadEvents: { delivered: number; failed: number };
  classifierInvocations: number;
  faults: Record<InjectedFault, number>;
  /** The images once the pipeline had settled, and the dead letters sent by then. */
  beforeBackfill: ImageAudit;
  deadLetters: { sent: number; unmatched: string[] };
  backfill: BackfillCounts;
  final: ImageAudit;
  /** DynamoDB faults injected into the API's requests, over the whole run. */
  dynamoDbFaults: DynamoDbFaultCounts;
  /** Reads and deletes of the settled images, all at once, under the same DynamoDB faults. */
  readsAndDeletes: ReadsAndDeletes;
  /** The survivors once the deletes are done. */
  afterDeletes: ImageAudit;
  /** Durations in ms. */
  timings: { systemStart: number; load: number; settle: number; backfill: number; readsAndDeletes: number; total: number };
}
