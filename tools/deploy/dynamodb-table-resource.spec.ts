import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoDbTableResource } from './dynamodb-table-resource.js';

const definition = {
  TableName: 'udagram-ci-things',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
} satisfies CreateTableCommandInput;

describe('dynamoDbTableResource', () => {
  it('keeps the schema as defined, turns point-in-time recovery on and keeps the data when the stack goes', () => {
    const resource = dynamoDbTableResource(definition);

    expect(resource).toEqual({
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { ...definition, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    });
  });

  it('spells streams, encryption and TTL the CloudFormation way', () => {
    const resource = dynamoDbTableResource(
      {
        ...definition,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        SSESpecification: { Enabled: true, SSEType: 'KMS' },
      },
      { timeToLive: { AttributeName: 'expiresAt', Enabled: true } },
    );

    expect(resource.Properties).toMatchObject({
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(resource.Properties.StreamSpecification).not.toHaveProperty('StreamEnabled');
  });

  it('refuses a CreateTable property it does not know how to map rather than dropping it', () => {
    const withUnknown = { ...definition, ResourcePolicy: '{}' } satisfies CreateTableCommandInput;

    expect(() => dynamoDbTableResource(withUnknown)).toThrow(/ResourcePolicy has no CloudFormation mapping/);
  });
});
