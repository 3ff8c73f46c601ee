import type { ImageRecord } from '@app/images';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** One entry of the label index. */
export interface LabelEntry {
  word: string;
  timestampId: string;
  imageId: string;
}

/** What DynamoDB holds for one group: its images, their label index entries, and its image counter. */
export interface StoredState {
  images: ImageRecord[];
  labelEntries: LabelEntry[];
  imageCount: number | undefined;
}

/** Reads the group's state straight from DynamoDB (strongly consistent), bypassing the API under test. */
export async function readStoredState(environment: NodeJS.ProcessEnv, groupId: string): Promise<StoredState> {
  const dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: environment.AWS_REGION, endpoint: environment.DYNAMODB_ENDPOINT }),
  );
  try {
    const images = await readAll<ImageRecord>((startKey) =>
      dynamoDb.send(
        new QueryCommand({
          TableName: environment.IMAGES_TABLE,
          KeyConditionExpression: 'groupId = :groupId',
          ExpressionAttributeValues: { ':groupId': groupId },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    // A scan is fine for a test's audit; the index has no key that lists one group's entries of every word.
    const labelEntries = await readAll<LabelEntry>((startKey) =>
      dynamoDb.send(
        new ScanCommand({
          TableName: environment.IMAGE_LABELS_TABLE,
          FilterExpression: 'groupId = :groupId',
          ExpressionAttributeValues: { ':groupId': groupId },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const { Item } = await dynamoDb.send(
      new GetCommand({ TableName: environment.GROUPS_TABLE, Key: { id: groupId }, ConsistentRead: true }),
    );
    return { images, labelEntries, imageCount: Item?.imageCount as number | undefined };
  } finally {
    dynamoDb.destroy();
  }
}

type Page = { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };

async function readAll<T>(readPage: (startKey: Record<string, unknown> | undefined) => Promise<Page>): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await readPage(startKey);
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
