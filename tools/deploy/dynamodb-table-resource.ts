import type { CreateTableCommandInput, TimeToLiveSpecification } from '@aws-sdk/client-dynamodb';

export interface TableResourceOptions {
  /** TTL is not part of CreateTable; CloudFormation takes it as a table property. */
  timeToLive?: TimeToLiveSpecification;
}

// Properties whose CreateTable and CloudFormation spellings are the same.
const SAME_IN_CLOUDFORMATION = new Set([
  'TableName',
  'BillingMode',
  'AttributeDefinitions',
  'KeySchema',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'ProvisionedThroughput',
  'OnDemandThroughput',
  'TableClass',
  'DeletionProtectionEnabled',
  'Tags',
]);

/**
 * An `AWS::DynamoDB::Table` from the CreateTable input the libraries define (and the local cloud creates), so the
 * schema has one source. Point-in-time recovery is always on; the data outlives a deleted or replaced stack.
 * A CreateTable property with no mapping here fails the build rather than being dropped.
 */
export function dynamoDbTableResource(definition: CreateTableCommandInput, options: TableResourceOptions = {}) {
  const properties: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(definition)) {
    if (value === undefined) continue;
    if (SAME_IN_CLOUDFORMATION.has(name)) properties[name] = value;
    else if (name === 'StreamSpecification')
      properties.StreamSpecification = streamSpecification(definition.StreamSpecification!);
    else if (name === 'SSESpecification') properties.SSESpecification = sseSpecification(definition.SSESpecification!);
    else
      throw new Error(`${definition.TableName}: CreateTable property ${name} has no CloudFormation mapping here yet`);
  }
  if (options.timeToLive) properties.TimeToLiveSpecification = options.timeToLive;
  return {
    Type: 'AWS::DynamoDB::Table',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: { ...properties, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } } as Record<
      string,
      unknown
    >,
  };
}

function streamSpecification(spec: NonNullable<CreateTableCommandInput['StreamSpecification']>) {
  // CloudFormation has no StreamEnabled: a view type turns the stream on.
  return spec.StreamEnabled ? { StreamViewType: spec.StreamViewType } : undefined;
}

function sseSpecification(spec: NonNullable<CreateTableCommandInput['SSESpecification']>) {
  return { SSEEnabled: spec.Enabled, SSEType: spec.SSEType, KMSMasterKeyId: spec.KMSMasterKeyId };
}
