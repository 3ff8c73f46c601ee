import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

const ACTIVE_TIMEOUT_SECONDS = 30;

/**
 * Creates each table that does not exist yet and waits until it is ACTIVE. An existing table is kept as it is:
 * its schema is not compared with the definition.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: CreateTableCommandInput[],
  log: (line: string) => void,
): Promise<void> {
  for (const table of tables) {
    const tableName = table.TableName;
    if (!tableName) throw new TypeError('Every table definition needs a TableName');
    if (await tableExists(client, tableName)) {
      log(`Table ${tableName} exists`);
      continue;
    }
    await client.send(new CreateTableCommand(table));
    await waitUntilTableExists(
      { client, maxWaitTime: ACTIVE_TIMEOUT_SECONDS, minDelay: 1, maxDelay: 2 },
      { TableName: tableName },
    );
    log(`Table ${tableName} created`);
  }
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
