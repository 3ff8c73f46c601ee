import { ThrottleSafeDynamoDb, type AwsConfig } from '@app/aws';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { ImageRecord } from './image.js';

/** A pending image of group g1, as the repositories store it. */
export const pendingImage: ImageRecord = {
  groupId: 'g1',
  timestampId: '2026-12-05T10:01:00.000Z#i1',
  timestamp: '2026-12-05T10:01:00.000Z',
  imageId: 'i1',
  userId: 'alice',
  title: 'A dog',
  status: 'PENDING',
  objectKey: 'images/i1',
};

/** The repositories' specs: one attempt, no waiting, so a refusal is answered at once (retries are its own spec). */
export function oneAttemptThrottleSafe(dynamoDb: DynamoDBDocumentClient): ThrottleSafeDynamoDb {
  return new ThrottleSafeDynamoDb(
    dynamoDb,
    {
      dynamoDbMaxAttempts: 3,
      dynamoDbRetry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1 },
    } as AwsConfig,
    { now: () => 0, random: () => 0, sleep: async () => {} },
  );
}

/** A transaction DynamoDB cancelled, with one reason code per item (`'None'` for the items that passed). */
export function transactionCancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** The items of the first transaction the mocked client was sent (none sent: no items). */
export function sentTransactItems(dynamoDbMock: AwsClientStub<DynamoDBDocumentClient>) {
  const [call] = dynamoDbMock.commandCalls(TransactWriteCommand);
  return call?.args[0].input.TransactItems ?? [];
}
