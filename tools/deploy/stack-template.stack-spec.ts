import { groupsTableDefinition } from '@app/groups';
import { imageLabelsTableDefinition, imagesTableDefinition } from '@app/images';
import {
  IMAGE_STATUS_FILTER_PATTERNS,
  NOTIFIER_STREAM_SETTINGS,
  NOTIFIER_TIMEOUT_SECONDS,
  SUBSCRIPTIONS_TIME_TO_LIVE,
  subscriptionsTableDefinition,
} from '@app/notifications';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC, METRICS_NAMESPACE } from '@app/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRY_POINTS } from '../bundle/lambda-entry-points.js';
import { LAMBDA_NODE_RUNTIME } from '../bundle/lambda-platform.js';
import { apiStageThrottle } from './api-capacity.js';
import { packageStackOffline } from './package-stack-offline.js';
import { resolveIntrinsics, type TemplateResource } from './resolve-intrinsics.js';

/**
 * Packages the stack as CI would (packageStackOffline: `osls package` with no credentials and every AWS endpoint a
 * closed port) and checks the CloudFormation template it deploys. Needs `dist/lambda/*.zip` (`npm run build:lambda`).
 */

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const CLASSIFIER_IMAGE_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/udagram-classifier@sha256:${'0123456789abcdef'.repeat(4)}`;
const PARAMS = {
  classifierImageUri: CLASSIFIER_IMAGE_URI,
  jwksUrl: 'https://udagram.eu.auth0.com/.well-known/jwks.json',
  jwtIssuer: 'https://udagram.eu.auth0.com/',
  jwtAudience: 'https://api.udagram.example',
  webOrigins: 'https://app.udagram.example,https://udagram.example',
  alarmEndpoint: 'https://alerts.udagram.example/cloudwatch',
  alarmProtocol: 'https',
  knownPhotoLabel: 'squirrel',
};

const arn = {
  table: (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/udagram-ci-${name}`,
  logGroup: (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/udagram-ci-${name}:*`,
  bucket: `arn:aws:s3:::udagram-ci-images-${ACCOUNT}-${REGION}`,
  function: (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:udagram-ci-${name}`,
  alias: (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:udagram-ci-${name}:live`,
  deploymentGroup: (name: string) =>
    `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:udagram-ci/udagram-ci-${name}`,
};

/**
 * X-Ray's PutTraceSegments and PutTelemetryRecords accept no resource but `*` (IAM has no resource-level permissions
 * for them); CloudWatch's DescribeAlarms, which CodeDeploy calls, neither. The only `*` resources of the stack.
 */
const SENDS_TRACES = { '*': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'] };
const WILDCARD_ACTIONS = ['cloudwatch:DescribeAlarms', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
/** The functions deployed through their `live` alias by a CodeDeploy canary: all but the hook. */
const CANARY_FUNCTIONS = ['api', 'classificationWorker', 'thumbnailWorker', 'websocket', 'notifier', 'classifier'];

const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:udagram-ci-${name}`;
const consumes = ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];

/**
 * THE ALLOW-LIST: every function's permissions, resource by resource, exactly. A new AWS call in a function's
 * code needs its statement in serverless.ts (FUNCTION_PERMISSIONS) and its line here.
 */
const ALLOWED: Record<string, Record<string, string[]>> = {
  ApiLambdaFunction: {
    [arn.logGroup('api')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('groups')]: [
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:DescribeTable',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ],
    [`${arn.table('groups')}/index/byListingShard`]: ['dynamodb:Query'],
    [arn.table('group-images')]: [
      'dynamodb:BatchGetItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
    [`${arn.table('group-images')}/index/byImageIdKey`]: ['dynamodb:Query'],
    [arn.table('image-labels')]: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    [`${arn.table('image-labels')}/index/byGroupWordKey`]: ['dynamodb:Query'],
    [`${arn.bucket}/images/*`]: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
    [`${arn.bucket}/thumbnails/*`]: ['s3:DeleteObject', 's3:GetObject'],
    [arn.bucket]: ['s3:ListBucket'],
    [queueArn('classification')]: ['sqs:SendMessage'],
    ...SENDS_TRACES,
  },
  ClassificationWorkerLambdaFunction: {
    [arn.logGroup('classificationWorker')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('group-images')]: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    [`${arn.table('group-images')}/index/byImageIdKey`]: ['dynamodb:Query'],
    [arn.table('image-labels')]: ['dynamodb:DeleteItem', 'dynamodb:PutItem'],
    [`${arn.bucket}/images/*`]: ['s3:GetObject'],
    // Through the classifier's `live` alias, which a canary shifts between versions.
    [arn.alias('classifier')]: ['lambda:InvokeFunction'],
    [queueArn('classification')]: consumes,
    ...SENDS_TRACES,
  },
  ThumbnailWorkerLambdaFunction: {
    [arn.logGroup('thumbnailWorker')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('group-images')]: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    [`${arn.table('group-images')}/index/byImageIdKey`]: ['dynamodb:Query'],
    [`${arn.bucket}/images/*`]: ['s3:GetObject'],
    [`${arn.bucket}/thumbnails/*`]: ['s3:PutObject'],
    [queueArn('thumbnails')]: consumes,
    ...SENDS_TRACES,
  },
  WebsocketLambdaFunction: {
    [arn.logGroup('websocket')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('connections')]: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    [arn.table('subscriptions')]: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
    ...SENDS_TRACES,
  },
  // No Scan anywhere: the watchers of a group by Query, a gone connection's rows by key.
  NotifierLambdaFunction: {
    [arn.logGroup('notifier')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    '<ImagesTable.StreamArn>': [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ],
    [arn.table('subscriptions')]: ['dynamodb:BatchWriteItem', 'dynamodb:Query'],
    [arn.table('connections')]: ['dynamodb:DeleteItem'],
    [`arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref WebsocketsApi>/ci/POST/@connections/*`]: [
      'execute-api:ManageConnections',
    ],
    [`arn:aws:sqs:${REGION}:${ACCOUNT}:udagram-ci-notifier-failures`]: ['sqs:SendMessage'],
    ...SENDS_TRACES,
  },
  ClassifierLambdaFunction: {
    [arn.logGroup('classifier')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    ...SENDS_TRACES,
  },
  // Exactly the two versions this deploy published, the known photo, and its verdict for the stack's deployment groups.
  PreTrafficHookLambdaFunction: {
    [arn.logGroup('preTrafficHook')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    '<Ref ClassifierLiveVersion>': ['lambda:InvokeFunction'],
    '<Ref ApiLiveVersion>': ['lambda:InvokeFunction'],
    [`${arn.bucket}/deploy-checks/*`]: ['s3:GetObject'],
    ...Object.fromEntries(
      CANARY_FUNCTIONS.map((name) => [arn.deploymentGroup(name), ['codedeploy:PutLifecycleEventHookExecutionStatus']]),
    ),
    ...SENDS_TRACES,
  },
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

let outputDirectory: string;
let resources: Record<string, TemplateResource & { Properties: Record<string, any> }>;

beforeAll(async () => {
  outputDirectory = await mkdtemp(join(tmpdir(), 'udagram-stack-'));
  const template = await packageStackOffline({ outputDirectory, stage: 'ci', region: REGION, params: PARAMS });
  resources = template.Resources;
}, 180_000);

afterAll(async () => {
  await rm(outputDirectory, { recursive: true, force: true });
});

const resolve = (value: unknown) => resolveIntrinsics(value, { resources, accountId: ACCOUNT, region: REGION });
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** A function's effective permissions: resource → sorted actions, from every statement of its role. */
function permissionsOf(functionId: string): Record<string, string[]> {
  const [roleId] = resources[functionId].Properties.Role['Fn::GetAtt'];
  const role = resources[roleId];
  const statements = role.Properties.Policies.flatMap(
    (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
  );
  const permissions: Record<string, Set<string>> = {};
  for (const statement of resolve(statements) as Statement[]) {
    expect(statement.Effect).toBe('Allow');
    for (const resource of asList(statement.Resource)) {
      for (const action of asList(statement.Action)) (permissions[resource] ??= new Set()).add(action);
    }
  }
  return Object.fromEntries(Object.entries(permissions).map(([resource, actions]) => [resource, [...actions].sort()]));
}

describe('the packaged stack', () => {
  it('gives every function its own role with exactly the allow-listed actions on exactly the allow-listed resources', () => {
    const functions = ofType('AWS::Lambda::Function').map(([id]) => id);
    expect(functions.sort()).toEqual(Object.keys(ALLOWED).sort());

    for (const functionId of functions) expect(permissionsOf(functionId), functionId).toEqual(ALLOWED[functionId]);

    const roles = functions.map((id) => resources[id].Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roles).size).toBe(functions.length);
    // Besides the functions' roles, only CodeDeploy's (checked below).
    expect(
      ofType('AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...roles, 'CodeDeployServiceRole'].sort());
    for (const role of roles) expect(resources[role].Properties).not.toHaveProperty('ManagedPolicyArns');
  });

  it('has no `*` resource in any policy of the template but for the actions IAM allows on nothing else', () => {
    const wildcardResources: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (typeof value !== 'object' || value === null) return;
      const statement = value as Partial<Statement>;
      if (statement.Resource !== undefined && asList(resolve(statement.Resource) as string | string[]).includes('*')) {
        const actions = asList(statement.Action ?? []);
        if (!actions.every((action) => WILDCARD_ACTIONS.includes(action)))
          wildcardResources.push(`${path}: ${actions.join(', ')}`);
        // A `*` statement holds nothing but those actions and only that resource.
        expect(asList(statement.Resource), path).toEqual(['*']);
      }
      for (const [key, child] of Object.entries(value)) visit(child, `${path}.${key}`);
    };

    visit(resources, 'Resources');

    expect(wildcardResources).toEqual([]);
  });

  it('runs the API on the Lambda Node runtime (tools/bundle/lambda-platform.ts) on arm64, behind an HTTP API', () => {
    const api = resources.ApiLambdaFunction.Properties;

    expect(api).toMatchObject({ Runtime: LAMBDA_NODE_RUNTIME, Architectures: ['arm64'], Handler: 'index.handler' });
    // The bundle maps its own stack traces on demand; Node's --enable-source-maps would read the map at every start.
    expect(api.Environment.Variables).not.toHaveProperty('NODE_OPTIONS');
    expect(resources.HttpApi.Properties).toMatchObject({ ProtocolType: 'HTTP' });
    // CORS is the app's (configureApp): API Gateway would replace its headers.
    expect(resources.HttpApi.Properties).not.toHaveProperty('CorsConfiguration');
    expect(resolve(api.Environment.Variables)).toMatchObject({
      GROUPS_TABLE: 'udagram-ci-groups',
      IMAGES_TABLE: 'udagram-ci-group-images',
      IMAGE_LABELS_TABLE: 'udagram-ci-image-labels',
      CLASSIFICATION_QUEUE_URL: 'udagram-ci-classification',
      IMAGES_BUCKET: `udagram-ci-images-${ACCOUNT}-${REGION}`,
      JWKS_URL: PARAMS.jwksUrl,
      JWT_ISSUER: PARAMS.jwtIssuer,
      JWT_AUDIENCE: PARAMS.jwtAudience,
      CORS_ORIGINS: PARAMS.webOrigins,
    });
    // The API queues re-classifications; it never invokes the classifier.
    expect(api.Environment.Variables).not.toHaveProperty('CLASSIFIER_FUNCTION_NAME');
  });

  it('runs the classifier from the container image given as a parameter, on arm64, with a concurrency cap', () => {
    expect(resources.ClassifierLambdaFunction.Properties).toMatchObject({
      PackageType: 'Image',
      Code: { ImageUri: CLASSIFIER_IMAGE_URI },
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: expect.any(Number),
    });
    expect(resources.ClassifierLambdaFunction.Properties).not.toHaveProperty('Runtime');
  });

  it('keeps the images bucket private, encrypted, owner-enforced, open to the web origins for PUT and GET only', () => {
    const bucket = resources.ImagesBucket.Properties;

    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(resolve(bucket.CorsConfiguration)).toEqual({
      CorsRules: [
        {
          AllowedOrigins: ['https://app.udagram.example', 'https://udagram.example'],
          AllowedMethods: ['PUT', 'GET', 'HEAD'],
          AllowedHeaders: ['content-type'],
          ExposedHeaders: ['ETag'],
          MaxAge: 600,
        },
      ],
    });
    expect(bucket.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it('refuses plain-HTTP access to the images bucket', () => {
    const policy = resources.ImagesBucketPolicy.Properties.PolicyDocument;

    expect(resolve(policy.Statement)).toContainEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn.bucket, `${arn.bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('feeds uploads under images/ to one topic, which fans them out raw to the classification and thumbnail queues', () => {
    const bucket = resources.ImagesBucket.Properties;
    expect(resolve(bucket.NotificationConfiguration)).toEqual({
      TopicConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'images/' }] } },
          Topic: '<Ref UploadsTopic>',
        },
      ],
    });
    expect((resources.ImagesBucket as { DependsOn?: string[] }).DependsOn).toContain('UploadsTopicPolicy');
    const subscriptions = ofType('AWS::SNS::Subscription')
      .map(([, subscription]) => resolve(subscription.Properties) as { TopicArn: string })
      .filter((subscription) => subscription.TopicArn === '<Ref UploadsTopic>');
    expect(subscriptions).toEqual(
      expect.arrayContaining(
        ['classification', 'thumbnails'].map((name) => ({
          TopicArn: '<Ref UploadsTopic>',
          Protocol: 'sqs',
          Endpoint: queueArn(name),
          RawMessageDelivery: true,
        })),
      ),
    );
    expect(subscriptions).toHaveLength(2);
  });

  it('lets only the bucket publish to the topic and only the topic send to the queues', () => {
    expect(resolve(resources.UploadsTopicPolicy.Properties.PolicyDocument.Statement)).toEqual([
      {
        Sid: 'ImagesBucketPublishes',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: '<Ref UploadsTopic>',
        Condition: { ArnEquals: { 'aws:SourceArn': arn.bucket }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
    const queuePolicy = resolve(resources.PipelineQueuesPolicy.Properties) as {
      PolicyDocument: { Statement: unknown[] };
    };
    expect(queuePolicy.PolicyDocument.Statement).toEqual(
      ['classification', 'thumbnails'].map((name) => ({
        Sid: expect.any(String),
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn(name),
        Condition: { ArnEquals: { 'aws:SourceArn': '<Ref UploadsTopic>' } },
      })),
    );
  });

  it('encrypts every queue and redrives each work queue to its own dead-letter queue, visibility ≥ 6 × its worker’s timeout', () => {
    for (const [id, queue] of ofType('AWS::SQS::Queue')) expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
    for (const [queueId, deadLetterId, functionId] of [
      ['ClassificationQueue', 'ClassificationDeadLetterQueue', 'ClassificationWorkerLambdaFunction'],
      ['ThumbnailQueue', 'ThumbnailDeadLetterQueue', 'ThumbnailWorkerLambdaFunction'],
    ]) {
      const queue = resources[queueId].Properties;
      expect(resolve(queue.RedrivePolicy), queueId).toEqual({
        deadLetterTargetArn: resolve({ 'Fn::GetAtt': [deadLetterId, 'Arn'] }),
        maxReceiveCount: expect.any(Number),
      });
      expect(queue.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(3);
      expect(queue.VisibilityTimeout, queueId).toBeGreaterThanOrEqual(6 * resources[functionId].Properties.Timeout);
      expect(resources[deadLetterId].Properties.MessageRetentionPeriod).toBe(1209600);
    }
  });

  it('maps each queue to its worker in batches with partial failures and a concurrency cap the classifier can serve', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping')
      .map(([, mapping]) => mapping.Properties)
      .filter((mapping) => mapping.EventSourceArn['Fn::GetAtt']?.[0]?.endsWith('Queue'));
    // Each mapping invokes its worker's `live` alias.
    const mappingOf = (functionId: string) =>
      mappings.find((mapping) => resources[mapping.FunctionName.Ref]?.Properties.FunctionName.Ref === functionId)!;
    const classification = mappingOf('ClassificationWorkerLambdaFunction');
    const thumbnails = mappingOf('ThumbnailWorkerLambdaFunction');

    expect(mappings).toHaveLength(2);
    for (const [mapping, queueId] of [
      [classification, 'ClassificationQueue'],
      [thumbnails, 'ThumbnailQueue'],
    ] as const) {
      expect(mapping).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: expect.any(Number),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: expect.any(Number) },
      });
    }
    // Every message of every concurrent batch may call the classifier at once: its reservation is exactly that.
    expect(resources.ClassifierLambdaFunction.Properties.ReservedConcurrentExecutions).toBe(
      classification.ScalingConfig.MaximumConcurrency * classification.BatchSize,
    );
    const workerEnvironment = resources.ClassificationWorkerLambdaFunction.Properties.Environment.Variables;
    expect(Number(workerEnvironment.CLASSIFICATION_MAX_RECEIVE_COUNT)).toBe(
      resources.ClassificationQueue.Properties.RedrivePolicy.maxReceiveCount,
    );
    expect(Number(workerEnvironment.CLASSIFIER_TIMEOUT_MS)).toBeGreaterThan(
      resources.ClassifierLambdaFunction.Properties.Timeout * 1000,
    );
  });

  it('creates the tables from the libraries’ own definitions, with point-in-time recovery, kept when the stack goes', () => {
    const expected = [
      groupsTableDefinition('udagram-ci-groups'),
      imagesTableDefinition('udagram-ci-group-images'),
      imageLabelsTableDefinition('udagram-ci-image-labels'),
    ];

    for (const [id, table] of ofType('AWS::DynamoDB::Table')) {
      expect(table.Properties.PointInTimeRecoverySpecification, id).toEqual({ PointInTimeRecoveryEnabled: true });
    }
    for (const definition of expected) {
      const [, table] = ofType('AWS::DynamoDB::Table').find(
        ([, resource]) => resource.Properties.TableName === definition.TableName,
      )!;
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      // CloudFormation has no StreamEnabled: a view type turns the stream on.
      const { StreamSpecification, ...createTable } = definition as typeof definition & {
        StreamSpecification?: { StreamViewType: string };
      };
      expect(table.Properties).toEqual({
        ...createTable,
        ...(StreamSpecification ? { StreamSpecification: { StreamViewType: StreamSpecification.StreamViewType } } : {}),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('streams the images table (old and new items) into the notifier, filtered to status changes, batched and retried with bounds', () => {
    expect(resources.ImagesTable.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => resolve(mapping.Properties.EventSourceArn) === '<ImagesTable.StreamArn>',
    );
    expect(mappings).toHaveLength(1);
    const [[, mapping]] = mappings;

    expect(resolve(mapping.Properties)).toEqual({
      EventSourceArn: '<ImagesTable.StreamArn>',
      FunctionName: arn.alias('notifier'),
      Enabled: true,
      StartingPosition: 'LATEST',
      BatchSize: NOTIFIER_STREAM_SETTINGS.batchSize,
      MaximumBatchingWindowInSeconds: NOTIFIER_STREAM_SETTINGS.maximumBatchingWindowSeconds,
      ParallelizationFactor: NOTIFIER_STREAM_SETTINGS.parallelizationFactor,
      MaximumRetryAttempts: NOTIFIER_STREAM_SETTINGS.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: NOTIFIER_STREAM_SETTINGS.maximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: IMAGE_STATUS_FILTER_PATTERNS.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
      },
      DestinationConfig: {
        OnFailure: { Destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:udagram-ci-notifier-failures` },
      },
    });
    expect(resources.NotifierLambdaFunction.Properties.Timeout).toBe(NOTIFIER_TIMEOUT_SECONDS);
    expect(resolve(resources.NotifierLambdaFunction.Properties.Environment.Variables)).toMatchObject({
      SUBSCRIPTIONS_TABLE: 'udagram-ci-subscriptions',
      CONNECTIONS_TABLE: 'udagram-ci-connections',
      WEBSOCKET_MANAGEMENT_ENDPOINT: `https://<Ref WebsocketsApi>.execute-api.${REGION}.amazonaws.com/ci`,
    });
  });

  it('keeps the subscriptions keyed by group shard and connection, expiring with their connection', () => {
    expect(resources.SubscriptionsTable.Properties).toMatchObject({
      ...subscriptionsTableDefinition('udagram-ci-subscriptions'),
      TimeToLiveSpecification: SUBSCRIPTIONS_TIME_TO_LIVE,
    });
  });

  it('routes the WebSocket API’s subscribe and unsubscribe messages to the websocket function, answering the client', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route')
      .map(([, route]) => route.Properties)
      .filter((route) => route.ApiId.Ref === 'WebsocketsApi');

    expect(routes.map((route) => route.RouteKey).sort()).toEqual([
      '$connect',
      '$disconnect',
      'subscribe',
      'unsubscribe',
    ]);
    for (const key of ['subscribe', 'unsubscribe']) {
      expect(routes.find((route) => route.RouteKey === key)).toMatchObject({
        RouteResponseSelectionExpression: '$default',
      });
    }
    expect(
      ofType('AWS::ApiGatewayV2::RouteResponse').map(([, response]) => response.Properties.RouteResponseKey),
    ).toEqual(['$default', '$default']);
    expect(resolve(resources.WebsocketsApi.Properties.RouteSelectionExpression)).toBe('$request.body.action');
  });

  it('keeps every log group for a bounded time', () => {
    const logGroups = ofType('AWS::Logs::LogGroup');

    expect(logGroups.length).toBeGreaterThanOrEqual(3);
    for (const [id, logGroup] of logGroups) expect(logGroup.Properties.RetentionInDays, id).toBe(30);
  });
});

describe('the packaged stack under a front page', () => {
  const distribution = () => {
    const distributions = ofType('AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    return { id: distributions[0]![0], config: distributions[0]![1].Properties.DistributionConfig };
  };
  const cachePolicy = (reference: { Ref: string }) => {
    expect(resources[reference.Ref]?.Type).toBe('AWS::CloudFront::CachePolicy');
    return resources[reference.Ref]!.Properties.CachePolicyConfig;
  };

  it('throttles the HTTP API stage at the design target’s arithmetic: 21,100 rps steady + 20% → 26,000 rps, bursts of 6,500', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage').filter(([, stage]) => stage.Properties.ApiId?.Ref === 'HttpApi');

    expect(stages).toHaveLength(1);
    expect(stages[0]![1].Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 26_000,
      ThrottlingBurstLimit: 6_500,
    });
    expect(apiStageThrottle()).toEqual({ rateLimit: 26_000, burstLimit: 6_500 });
  });

  it('puts one CloudFront distribution in front of the API, caching only GET and HEAD for seconds, keyed by page and Origin', () => {
    const { config } = distribution();
    const apiOrigin = config.Origins.find(
      (origin: { Id: string }) => origin.Id === config.DefaultCacheBehavior.TargetOriginId,
    );

    expect(resolve(apiOrigin.DomainName)).toBe(`<Ref HttpApi>.execute-api.${REGION}.amazonaws.com`);
    expect(apiOrigin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      CachedMethods: ['GET', 'HEAD'],
    });
    const policy = cachePolicy(config.DefaultCacheBehavior.CachePolicyId);
    expect(policy).toMatchObject({ MinTTL: 0, DefaultTTL: 5, MaxTTL: 60 });
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Origin'] },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['limit', 'nextKey', 'label'] },
    });
  });

  it('serves thumbnails from the private bucket through origin access control, cached a day, never as pages', () => {
    const { config } = distribution();
    const behaviour = config.CacheBehaviors.find(
      (candidate: { PathPattern: string }) => candidate.PathPattern === 'thumbnails/*',
    );
    const origin = config.Origins.find((candidate: { Id: string }) => candidate.Id === behaviour.TargetOriginId);

    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': ['ImagesBucket', 'RegionalDomainName'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const [accessControlId] = origin.OriginAccessControlId['Fn::GetAtt'];
    expect(resources[accessControlId]).toMatchObject({
      Type: 'AWS::CloudFront::OriginAccessControl',
      Properties: {
        OriginAccessControlConfig: {
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        },
      },
    });
    expect(behaviour).toMatchObject({ ViewerProtocolPolicy: 'https-only', AllowedMethods: ['GET', 'HEAD'] });
    expect(cachePolicy(behaviour.CachePolicyId)).toMatchObject({ DefaultTTL: 86_400, MaxTTL: 86_400 });
    const headers = resources[behaviour.ResponseHeadersPolicyId.Ref]!.Properties.ResponseHeadersPolicyConfig;
    expect(headers.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.CustomHeadersConfig.Items).toContainEqual({
      Header: 'Content-Security-Policy',
      Value: "default-src 'none'; sandbox",
      Override: true,
    });
  });

  it('lets that distribution alone read the bucket, thumbnails alone; nothing else is allowed', () => {
    const { id } = distribution();
    const statements = resolve(resources.ImagesBucketPolicy.Properties.PolicyDocument.Statement) as {
      Effect: string;
    }[];

    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([
      {
        Sid: 'AllowCdnToReadThumbnails',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${arn.bucket}/thumbnails/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/<Ref ${id}>` } },
      },
    ]);
  });

  it('gives the API the distribution’s URL for thumbnails', () => {
    const { id } = distribution();

    expect(resolve(resources.ApiLambdaFunction.Properties.Environment.Variables.THUMBNAILS_CDN_URL)).toBe(
      `https://<${id}.DomainName>`,
    );
  });
});

describe('the packaged stack’s operations: tracing, alarms, dashboard', () => {
  const alarms = () =>
    ofType('AWS::CloudWatch::Alarm').map(([id, alarm]): Record<string, any> & { id: string } => ({
      ...(resolve(alarm.Properties) as Record<string, any>),
      id,
    }));
  const dimensionsOf = (alarm: Record<string, any>) =>
    Object.fromEntries(
      ((alarm.Dimensions ?? []) as { Name: string; Value: string }[]).map(({ Name, Value }) => [Name, Value]),
    );
  const functionIds = () => ofType('AWS::Lambda::Function').map(([id]) => id);

  it('traces every function actively with X-Ray', () => {
    for (const id of functionIds()) expect(resources[id].Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
  });

  it('names each function’s service for its logs and metrics', () => {
    for (const id of functionIds()) {
      expect(resources[id].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME, id).toMatch(/^[a-z][a-z-]+$/);
    }
  });

  it('has an errors alarm and a throttles alarm on every function', () => {
    for (const id of functionIds()) {
      const name = `udagram-ci-${id.replace(/LambdaFunction$/, '').replace(/^./, (first) => first.toLowerCase())}`;
      for (const metric of ['Errors', 'Throttles']) {
        expect(
          alarms().filter(
            (alarm) =>
              alarm.Namespace === 'AWS/Lambda' &&
              alarm.MetricName === metric &&
              dimensionsOf(alarm).FunctionName === name,
          ),
          `${id} ${metric}`,
        ).toHaveLength(1);
      }
    }
  });

  it('alarms on any message in each dead-letter queue, and on the age of the work queues’ oldest message', () => {
    const depthAlarms = alarms().filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible');
    const ageAlarms = alarms().filter((alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage');

    expect(depthAlarms.map((alarm) => dimensionsOf(alarm).QueueName).sort()).toEqual(
      ['udagram-ci-classification-dead-letters', 'udagram-ci-notifier-failures', 'udagram-ci-thumbnails-dead-letters']
        .map(
          (name) => `<${Object.keys(resources).find((id) => resources[id].Properties?.QueueName === name)}.QueueName>`,
        )
        .sort(),
    );
    for (const alarm of depthAlarms)
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    // Every queue with a redrive policy sends to a queue that has a depth alarm.
    for (const [id, queue] of ofType('AWS::SQS::Queue').filter(([, queue]) => queue.Properties.RedrivePolicy)) {
      const [deadLetterId] = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'];
      expect(
        depthAlarms.map((alarm) => dimensionsOf(alarm).QueueName),
        id,
      ).toContain(`<${deadLetterId}.QueueName>`);
    }
    expect(ageAlarms.map((alarm) => dimensionsOf(alarm).QueueName).sort()).toEqual([
      '<ClassificationQueue.QueueName>',
      '<ThumbnailQueue.QueueName>',
    ]);
  });

  it('alarms on the HTTP API’s 5xx rate and p99 latency', () => {
    const rate = resolve(resources.ApiServerErrorRateAlarm.Properties) as {
      Metrics: { Id: string; Expression?: string; MetricStat?: any }[];
    };
    const stats = rate.Metrics.filter((metric) => metric.MetricStat).map(({ MetricStat }) => MetricStat);

    expect(stats.map((stat) => stat.Metric.MetricName).sort()).toEqual(['5xx', 'Count']);
    for (const stat of stats) {
      expect(stat.Metric).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        Dimensions: [
          { Name: 'ApiId', Value: '<Ref HttpApi>' },
          { Name: 'Stage', Value: '$default' },
        ],
      });
    }
    expect(rate.Metrics.find((metric) => metric.Expression)?.Expression).toMatch(/errors \/ requests/);
    expect(resources.HttpApiStage.Properties.StageName).toBe('$default');
    expect(resources.ApiLatencyP99Alarm.Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
    });
  });

  it('alarms on the upload → label p95 and on classifier errors by type, from the metrics the code writes', () => {
    const own = alarms().filter((alarm) => alarm.Namespace === METRICS_NAMESPACE);

    expect(resources.UploadToLabelP95Alarm.Properties).toMatchObject({
      MetricName: METRIC.uploadToLabelLatency,
      ExtendedStatistic: 'p95',
      Threshold: 10_000,
    });
    const errorTypes = own
      .filter((alarm) => alarm.MetricName === METRIC.imageFailed)
      .map((alarm) => dimensionsOf(alarm).errorType);
    expect(errorTypes).toEqual(expect.arrayContaining(['ModelError', 'ClassifierUnavailable', 'DeadlineExceeded']));
    for (const alarm of own) {
      expect(Object.values(METRIC), alarm.id).toContain(alarm.MetricName);
      expect(dimensionsOf(alarm).service, alarm.id).toBe('classification-worker');
      expect(
        resources.ClassificationWorkerLambdaFunction.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
      ).toBe('classification-worker');
    }
  });

  it('sends every alarm to the alarm topic, whose subscriber is a stack parameter, published to by CloudWatch only', () => {
    for (const alarm of alarms()) expect(alarm.AlarmActions, alarm.id).toEqual(['<Ref AlarmTopic>']);
    expect(resolve(resources.AlarmTopicSubscription.Properties)).toEqual({
      TopicArn: '<Ref AlarmTopic>',
      Protocol: 'https',
      Endpoint: PARAMS.alarmEndpoint,
    });
    expect(resolve(resources.AlarmTopicPolicy.Properties.PolicyDocument.Statement)).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: '<Ref AlarmTopic>',
      }),
    ]);
  });

  it('draws a dashboard whose every metric is an AWS metric of a resource of this stack or one the code writes', () => {
    const body = JSON.parse(resolve(resources.OperationsDashboard.Properties.DashboardBody) as string) as {
      widgets: any[];
    };
    const lines = body.widgets
      .filter((widget) => widget.type === 'metric')
      .flatMap((widget) => widget.properties.metrics as unknown[][]);
    const functionNames = functionIds().map((id) => resources[id].Properties.FunctionName);

    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      const [namespace, metricName, ...rest] = line as string[];
      const dimensions = Object.fromEntries(
        rest
          .filter((item) => typeof item === 'string')
          .flatMap((item, index, items) => (index % 2 === 0 ? [[item, items[index + 1]]] : [])),
      );
      const description = JSON.stringify(line);
      if (namespace === METRICS_NAMESPACE) {
        expect(Object.values(METRIC), description).toContain(metricName);
        expect(
          functionIds().map((id) => resources[id].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME),
          description,
        ).toContain(dimensions.service);
      } else if (namespace === 'AWS/Lambda') {
        expect(functionNames, description).toContain(dimensions.FunctionName);
      } else if (namespace === 'AWS/SQS') {
        expect(Object.keys(resources), description).toContain(/^<(\w+)\.QueueName>$/.exec(dimensions.QueueName)?.[1]);
      } else {
        expect(namespace, description).toBe('AWS/ApiGateway');
        expect(dimensions, description).toEqual({ ApiId: '<Ref HttpApi>', Stage: '$default' });
      }
    }
    const alarmWidget = body.widgets.find((widget) => widget.type === 'alarm');
    for (const alarmArn of alarmWidget.properties.alarms)
      expect(Object.keys(resources)).toContain(/^<(\w+)\.Arn>$/.exec(alarmArn)?.[1]);
  });
});

describe('the packaged stack’s canary deploys', () => {
  const capitalised = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

  it('deploys every Node function but the hook, and the classifier, through a `live` alias on a version of its own', () => {
    expect(
      new Set([...Object.keys(LAMBDA_ENTRY_POINTS).filter((name) => name !== 'preTrafficHook'), 'classifier']),
    ).toEqual(new Set(CANARY_FUNCTIONS));
    for (const name of CANARY_FUNCTIONS) {
      const alias = resources[`${capitalised(name)}LiveAlias`] as TemplateResource & {
        Properties: any;
        UpdatePolicy: any;
      };
      const versionId = alias.Properties.FunctionVersion['Fn::GetAtt'][0];

      expect(alias.Properties).toMatchObject({
        FunctionName: { Ref: `${capitalised(name)}LambdaFunction` },
        Name: 'live',
      });
      expect(resources[versionId]).toMatchObject({
        Type: 'AWS::Lambda::Version',
        DeletionPolicy: 'Retain',
        Properties: {
          FunctionName: { Ref: `${capitalised(name)}LambdaFunction` },
          Description: expect.stringMatching(/code and settings [0-9a-f]{32}$/),
        },
      });
    }
    // The classifier's version changes with its image.
    expect(resources.ClassifierLiveVersion.Properties.Description).toContain(CLASSIFIER_IMAGE_URI);
  });

  it('moves each alias with a CodeDeploy canary (10% for 5 minutes) that its alarms roll back, after the pre-traffic hook', () => {
    for (const name of CANARY_FUNCTIONS) {
      const alias = resources[`${capitalised(name)}LiveAlias`] as TemplateResource & { UpdatePolicy: any };
      const update = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
      const group = resources[update.DeploymentGroupName.Ref]!.Properties;

      expect(update).toMatchObject({
        ApplicationName: { Ref: 'CodeDeployApplication' },
        BeforeAllowTrafficHook: { Ref: 'PreTrafficHookLambdaFunction' },
      });
      expect((alias as { DependsOn?: string[] }).DependsOn).toContain('PreTrafficHookLambdaFunction');
      expect(group).toMatchObject({
        ApplicationName: { Ref: 'CodeDeployApplication' },
        DeploymentGroupName: `udagram-ci-${name}`,
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AutoRollbackConfiguration: { Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_STOP_ON_ALARM']) },
        AlarmConfiguration: { Enabled: true },
      });
      const alarmIds = group.AlarmConfiguration.Alarms.map((alarm: { Name: { Ref: string } }) => alarm.Name.Ref);
      expect(alarmIds, name).toEqual(
        expect.arrayContaining([`${capitalised(name)}ErrorsAlarm`, `${capitalised(name)}ThrottlesAlarm`]),
      );
      expect(alarmIds.length).toBeLessThanOrEqual(10);
      for (const alarmId of alarmIds) expect(resources[alarmId]?.Type, alarmId).toBe('AWS::CloudWatch::Alarm');
    }
    expect(resources.ApiDeploymentGroup.Properties.AlarmConfiguration.Alarms).toEqual(
      expect.arrayContaining([{ Name: { Ref: 'ApiServerErrorRateAlarm' } }, { Name: { Ref: 'ApiLatencyP99Alarm' } }]),
    );
    expect(resources.ClassifierDeploymentGroup.Properties.AlarmConfiguration.Alarms).toEqual(
      expect.arrayContaining([
        { Name: { Ref: 'UploadToLabelP95Alarm' } },
        { Name: { Ref: 'ClassifierErrorModelErrorAlarm' } },
      ]),
    );
    expect(resources.CodeDeployApplication.Properties).toEqual({
      ApplicationName: 'udagram-ci',
      ComputePlatform: 'Lambda',
    });
  });

  it('sends every event, integration and classifier call to the `live` alias', () => {
    expect(resolve(resources.HttpApiIntegrationApi.Properties.IntegrationUri)).toBe(arn.alias('api'));
    expect(resolve(resources.ApiLambdaPermissionHttpApi.Properties.FunctionName)).toBe(arn.alias('api'));
    expect(resolve(resources.WebsocketWebsocketsIntegration.Properties.IntegrationUri)).toBe(
      `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn.alias('websocket')}/invocations`,
    );
    expect(resolve(resources.WebsocketLambdaPermissionWebsockets.Properties.FunctionName)).toBe(arn.alias('websocket'));
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, mapping]) =>
      resolve(mapping.Properties.FunctionName),
    );
    expect(mappings.sort()).toEqual(
      [arn.alias('classificationWorker'), arn.alias('notifier'), arn.alias('thumbnailWorker')].sort(),
    );
    expect(
      resolve(resources.ClassificationWorkerLambdaFunction.Properties.Environment.Variables.CLASSIFIER_FUNCTION_NAME),
    ).toBe(arn.alias('classifier'));
    // No permission or integration is left on a bare function.
    for (const [id, permission] of ofType('AWS::Lambda::Permission'))
      expect(resolve(permission.Properties.FunctionName), id).toMatch(/:live$/);
  });

  it('gives the hook the new classifier and API versions and the known photo’s label', () => {
    expect(resources.PreTrafficHookLambdaFunction.Properties.Environment.Variables).toMatchObject({
      CLASSIFIER_VERSION_ARN: { Ref: 'ClassifierLiveVersion' },
      API_VERSION_ARN: { Ref: 'ApiLiveVersion' },
      KNOWN_PHOTO_LABEL: PARAMS.knownPhotoLabel,
    });
  });

  it('lets CodeDeploy move only the stack’s aliases, invoke only the hook, and read alarms', () => {
    const role = resources.CodeDeployServiceRole.Properties;
    const statements = resolve(
      role.Policies.flatMap(
        (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
      ),
    ) as Statement[];

    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role).not.toHaveProperty('ManagedPolicyArns');
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
        Resource: CANARY_FUNCTIONS.map(arn.alias),
      },
      { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [arn.function('preTrafficHook')] },
      { Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: ['*'] },
    ]);
  });
});
