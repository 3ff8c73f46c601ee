import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ensureTables } from './dynamodb-tables.js';

const dynamoDbMock = mockClient(DynamoDBClient);
const notFound = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });

function table(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  };
}

describe('ensureTables', () => {
  let lines: string[];

  beforeEach(() => {
    dynamoDbMock.reset();
    lines = [];
  });

  it('creates a missing table as defined and waits until it is ACTIVE', async () => {
    dynamoDbMock
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
      .resolves({ Table: { TableStatus: 'ACTIVE' } });
    dynamoDbMock.on(CreateTableCommand).resolves({});

    await ensureTables(new DynamoDBClient({ region: 'us-east-1' }), [table('groups')], (line) => lines.push(line));

    expect(dynamoDbMock.commandCalls(CreateTableCommand).map((call) => call.args[0].input)).toEqual([table('groups')]);
    expect(dynamoDbMock.commandCalls(DescribeTableCommand)).toHaveLength(3);
    expect(lines).toEqual(['Table groups created']);
  }, 10_000);

  it('keeps a table that exists and creates only the missing ones', async () => {
    dynamoDbMock.on(DescribeTableCommand, { TableName: 'groups' }).resolves({ Table: { TableStatus: 'ACTIVE' } });
    dynamoDbMock
      .on(DescribeTableCommand, { TableName: 'images' })
      .rejectsOnce(notFound())
      .resolves({ Table: { TableStatus: 'ACTIVE' } });
    dynamoDbMock.on(CreateTableCommand).resolves({});

    await ensureTables(new DynamoDBClient({ region: 'us-east-1' }), [table('groups'), table('images')], (line) =>
      lines.push(line),
    );

    expect(dynamoDbMock.commandCalls(CreateTableCommand).map((call) => call.args[0].input.TableName)).toEqual([
      'images',
    ]);
    expect(lines).toEqual(['Table groups exists', 'Table images created']);
  });

  it('passes on an error other than "not found"', async () => {
    dynamoDbMock.on(DescribeTableCommand).rejects(new Error('connection refused'));

    const ensuring = ensureTables(new DynamoDBClient({ region: 'us-east-1' }), [table('groups')], () => {});

    await expect(ensuring).rejects.toThrow('connection refused');
    expect(dynamoDbMock.commandCalls(CreateTableCommand)).toHaveLength(0);
  });

  it('refuses a definition without a TableName', async () => {
    const ensuring = ensureTables(
      new DynamoDBClient({ region: 'us-east-1' }),
      [{ ...table('x'), TableName: undefined }],
      () => {},
    );

    await expect(ensuring).rejects.toThrow('Every table definition needs a TableName');
  });
});
