import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  type AttributeValue,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/lib-dynamodb';
import type {
  DeserializeHandlerArguments,
  DeserializeMiddleware,
  HandlerExecutionContext,
  SerializeHandlerArguments,
  SerializeMiddleware,
} from '@smithy/types';
import { seededRandom } from '../seeded-random.js';

/** The faults AWS answers under load that DynamoDB Local never does. */
export interface DynamoDbFaultCounts {
  /** ProvisionedThroughputExceededException or ThrottlingException on any request (the SDK's retries see them). */
  throttled: number;
  /** TransactWriteItems cancelled with TransactionConflict on one item (the application's retries see them). */
  conflicts: number;
  /** BatchGetItem answered with some of its keys left in UnprocessedKeys. */
  unprocessedBatches: number;
}

export interface DynamoDbFaultOptions {
  /** Chance in [0, 1) that a request suffers its kind of fault. */
  rate: number;
  /** Seeds the draws, so a run's faults can be replayed. */
  seed: number;
}

const FAULTED = Symbol('udagram.faulted');
type FaultContext = HandlerExecutionContext & { [FAULTED]?: boolean };

/**
 * Makes a DynamoDB client (and every client sharing its middleware stack, e.g. a document client's own) answer as
 * a throttled DynamoDB would: for dev and load tests only, never bundled into a Lambda. Throttles are thrown inside
 * the SDK's retry loop, at most once per request so the retry that follows passes (what the SDK's own budget is
 * for is tested on its own); transaction conflicts and unprocessed keys come back to the application, whose retries
 * decide. Nothing faulted ever reaches DynamoDB, as a throttled or cancelled request writes nothing there.
 * Returns the counts of injected faults, updated live.
 */
export function injectDynamoDbFaults(
  client: DynamoDBDocumentClient,
  options: DynamoDbFaultOptions,
): DynamoDbFaultCounts {
  if (!(options.rate >= 0 && options.rate < 1)) throw new Error(`The fault rate must be in [0, 1): ${options.rate}`);
  const counts: DynamoDbFaultCounts = { throttled: 0, conflicts: 0, unprocessedBatches: 0 };
  // One stream per kind of fault: whether the n-th call of a kind is faulted depends on n alone, not on how the
  // concurrent calls of other kinds interleaved with it, so every run of the same workload meets each kind it meets.
  const throttleDraw = seededRandom(options.seed);
  const conflictDraw = seededRandom(options.seed + 1);
  const unprocessedDraw = seededRandom(options.seed + 2);
  const faulted = (draw: () => number) => draw() < options.rate;

  const throttle: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (next, context: FaultContext) => async (args: DeserializeHandlerArguments<ServiceInputTypes>) => {
      if (context[FAULTED] !== true && faulted(throttleDraw)) {
        context[FAULTED] = true;
        counts.throttled += 1;
        const $metadata = { httpStatusCode: 400 };
        throw counts.throttled % 2 === 0
          ? new ThrottlingException({
              message: 'Rate of requests exceeds the allowed throughput (injected)',
              $metadata,
            })
          : new ProvisionedThroughputExceededException({
              message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
              $metadata,
            });
      }
      return next(args);
    };

  const conflictOrUnprocessed: SerializeMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (next, context) => async (args: SerializeHandlerArguments<ServiceInputTypes>) => {
      if (context.commandName === 'TransactWriteItemsCommand' && faulted(conflictDraw)) {
        counts.conflicts += 1;
        throw transactionConflict(args.input as TransactWriteItemsCommandInput);
      }
      if (context.commandName === 'BatchGetItemCommand' && faulted(unprocessedDraw)) {
        const { kept, withheld } = withholdKeys(args.input as BatchGetItemCommandInput, unprocessedDraw);
        if (withheld !== undefined) {
          counts.unprocessedBatches += 1;
          const result =
            kept === undefined
              ? { output: { $metadata: {}, Responses: {} } as ServiceOutputTypes, response: {} }
              : await next({ ...args, input: kept as ServiceInputTypes });
          (result.output as BatchGetItemCommandOutput).UnprocessedKeys = withheld;
          return result;
        }
      }
      return next(args);
    };

  client.middlewareStack.add(throttle, { step: 'deserialize', name: 'injectDynamoDbThrottling', override: true });
  client.middlewareStack.add(conflictOrUnprocessed, {
    step: 'serialize',
    priority: 'high',
    name: 'injectDynamoDbConflictsAndUnprocessedKeys',
    override: true,
  });
  return counts;
}

/** A cancellation as DynamoDB sends it when another transaction holds one of the items: one reason per item. */
function transactionConflict(input: TransactWriteItemsCommandInput): TransactionCanceledException {
  const items = input.TransactItems?.length ?? 1;
  const conflicting = items - 1;
  const reasons = Array.from({ length: items }, (_item, index) =>
    index === conflicting
      ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
      : { Code: 'None' },
  );
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}

type KeysByTable = NonNullable<BatchGetItemCommandInput['RequestItems']>;

/** Leaves about half of each table's keys (at least one) for a later round, as a throttled BatchGetItem does. */
export function withholdKeys(
  input: BatchGetItemCommandInput,
  random: () => number,
): { kept: BatchGetItemCommandInput | undefined; withheld: KeysByTable | undefined } {
  const kept: KeysByTable = {};
  const withheld: KeysByTable = {};
  for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
    const keys: Record<string, AttributeValue>[] = request.Keys ?? [];
    if (keys.length === 0) continue;
    const keep = Math.floor(random() * keys.length);
    if (keep > 0) kept[table] = { ...request, Keys: keys.slice(0, keep) };
    withheld[table] = { ...request, Keys: keys.slice(keep) };
  }
  if (Object.keys(withheld).length === 0) return { kept: input, withheld: undefined };
  return { kept: Object.keys(kept).length === 0 ? undefined : { ...input, RequestItems: kept }, withheld };
}
