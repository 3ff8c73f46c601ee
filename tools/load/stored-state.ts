import { groupImageShards } from '@app/groups';
import type { ImageRecord } from '@app/images';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** One entry of the label index. */
export interface LabelEntry {
  word: string;
  timestampId: string;
  imageId: string;
}

/** What DynamoDB holds for one group: its images and their label index entries. */
export interface StoredState {
  images: ImageRecord[];
  labelEntries: LabelEntry[];
}

/** Reads the group's state straight from DynamoDB (strongly consistent), bypassing the API under test. */
export async function readStoredState(environment: NodeJS.ProcessEnv, groupId: string): Promise<StoredState> {
  const dynamoDb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: environment.AWS_REGION, endpoint: environment.DYNAMODB_ENDPOINT }),
  );
  try {
    const images = (
      await Promise.all(
        groupImageShards(groupId).map((groupShard) =>
          readAll<ImageRecord>((startKey) =>
            dynamoDb.send(
              new QueryCommand({
                TableName: environment.IMAGES_TABLE,
                KeyConditionExpression: 'groupShard = :groupShard',
                ExpressionAttributeValues: { ':groupShard': groupShard },
                ConsistentRead: true,
                ExclusiveStartKey: startKey,
              }),
            ),
          ),
        ),
      )
    ).flat();
    // A scan is fine for a test's audit; the index has no key that lists one group's entries of every word.
    const entries = await readAll<LabelEntry & { groupWord: string }>((startKey) =>
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
    // The entry's `word` is its shard (`dog#2`); the word itself is the end of `groupWord` (`<groupId>#dog`).
    const labelEntries = entries.map(({ groupWord, timestampId, imageId }) => ({
      word: groupWord.slice(groupId.length + 1),
      timestampId,
      imageId,
    }));
    return { images, labelEntries };
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
