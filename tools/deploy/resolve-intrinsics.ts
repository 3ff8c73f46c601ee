/**
 * Resolves the intrinsic functions of a packaged CloudFormation template to plain strings, for a fixed account
 * and region, so tests can compare IAM resources with readable ARNs. Covers what this stack's policies use:
 * Ref, Fn::GetAtt …Arn, Fn::Join, Fn::Sub, Fn::Split. A Ref or attribute it cannot resolve stays visible as
 * `<Ref X>` / `<X.Attr>`, never as a guess.
 */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface ResolutionContext {
  resources: Record<string, TemplateResource>;
  accountId: string;
  region: string;
  partition?: string;
}

export function resolveIntrinsics(value: unknown, context: ResolutionContext): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, context));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[name, argument]] = entries;
    if (name === 'Ref') return ref(String(argument), context);
    if (name === 'Fn::GetAtt') return getAtt(argument as [string, string], context);
    if (name === 'Fn::Join') {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map((part) => asString(resolveIntrinsics(part, context))).join(separator);
    }
    if (name === 'Fn::Sub') return sub(argument as string, context);
    if (name === 'Fn::Split') {
      const [separator, source] = argument as [string, unknown];
      return asString(resolveIntrinsics(source, context)).split(separator);
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, context)]));
}

function ref(name: string, context: ResolutionContext): string {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': context.accountId,
    'AWS::Region': context.region,
    'AWS::Partition': context.partition ?? 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  if (name in pseudo) return pseudo[name];
  const resource = context.resources[name];
  // A Lambda alias's Ref is its ARN: the function's, qualified by the alias name.
  if (resource?.Type === 'AWS::Lambda::Alias') {
    const { FunctionName, Name } = resource.Properties as { FunctionName: unknown; Name: string };
    const functionName = asString(resolveIntrinsics(FunctionName, context));
    return `arn:${context.partition ?? 'aws'}:lambda:${context.region}:${context.accountId}:function:${functionName}:${Name}`;
  }
  const nameProperty = resource && NAME_PROPERTY[resource.Type];
  const physicalName = nameProperty && resource.Properties?.[nameProperty];
  return physicalName === undefined ? `<Ref ${name}>` : asString(resolveIntrinsics(physicalName, context));
}

function getAtt([logicalId, attribute]: [string, string], context: ResolutionContext): string {
  const resource = context.resources[logicalId];
  const arn = resource && attribute === 'Arn' ? ARN_BY_TYPE[resource.Type] : undefined;
  if (!arn) return `<${logicalId}.${attribute}>`;
  return arn(ref(logicalId, context), context.partition ?? 'aws', context.region, context.accountId);
}

function sub(template: string, context: ResolutionContext): string {
  return template.replace(/\$\{([^}!]+)\}/g, (_match, expression: string) => {
    const [logicalId, attribute] = expression.split('.');
    return attribute === undefined ? ref(logicalId, context) : getAtt([logicalId, attribute], context);
  });
}

function asString(value: unknown): string {
  if (typeof value !== 'string')
    throw new TypeError(`Expected a string after resolution, got ${JSON.stringify(value)}`);
  return value;
}

/** The property holding the physical name a Ref returns, by resource type. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SQS::Queue': 'QueueName',
};

type ArnBuilder = (name: string, partition: string, region: string, accountId: string) => string;

const ARN_BY_TYPE: Record<string, ArnBuilder> = {
  'AWS::DynamoDB::Table': (name, partition, region, accountId) =>
    `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`,
  'AWS::S3::Bucket': (name, partition) => `arn:${partition}:s3:::${name}`,
  'AWS::Lambda::Function': (name, partition, region, accountId) =>
    `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
  // A log group's Arn attribute ends in `:*` (it covers the group's streams).
  'AWS::Logs::LogGroup': (name, partition, region, accountId) =>
    `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*`,
  'AWS::SQS::Queue': (name, partition, region, accountId) => `arn:${partition}:sqs:${region}:${accountId}:${name}`,
};
