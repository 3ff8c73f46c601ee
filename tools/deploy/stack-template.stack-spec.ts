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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
};

const arn = {
  table: (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/udagram-ci-${name}`,
  logGroup: (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/udagram-ci-${name}:*`,
  bucket: `arn:aws:s3:::udagram-ci-images-${ACCOUNT}-${REGION}`,
  function: (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:udagram-ci-${name}`,
};

const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:udagram-ci-${name}`;
const consumes = ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];

/**
 * THE ALLOW-LIST: every function's permissions, resource by resource, exactly. A new AWS call in a function's
 * code needs its statement in serverless.ts (FUNCTION_PERMISSIONS) and its line here.
 */
const ALLOWED: Record<string, Record<string, string[]>> = {
  ApiLambdaFunction: {
    [arn.logGroup('api')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('groups')]: ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    [`${arn.table('groups')}/index/byListingShard`]: ['dynamodb:Query'],
    [arn.table('group-images')]: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    [`${arn.table('group-images')}/index/byImageIdKey`]: ['dynamodb:Query'],
    [arn.table('image-labels')]: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    [`${arn.table('image-labels')}/index/byGroupWordKey`]: ['dynamodb:Query'],
    [`${arn.bucket}/images/*`]: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
    [`${arn.bucket}/thumbnails/*`]: ['s3:DeleteObject', 's3:GetObject'],
    [arn.bucket]: ['s3:ListBucket'],
    [queueArn('classification')]: ['sqs:SendMessage'],
  },
  ClassificationWorkerLambdaFunction: {
    [arn.logGroup('classificationWorker')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('group-images')]: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    [`${arn.table('group-images')}/index/byImageIdKey`]: ['dynamodb:Query'],
    [arn.table('image-labels')]: ['dynamodb:DeleteItem', 'dynamodb:PutItem'],
    [`${arn.bucket}/images/*`]: ['s3:GetObject'],
    [arn.function('classifier')]: ['lambda:InvokeFunction'],
    [queueArn('classification')]: consumes,
  },
  ThumbnailWorkerLambdaFunction: {
    [arn.logGroup('thumbnailWorker')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('group-images')]: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    [`${arn.table('group-images')}/index/byImageIdKey`]: ['dynamodb:Query'],
    [`${arn.bucket}/images/*`]: ['s3:GetObject'],
    [`${arn.bucket}/thumbnails/*`]: ['s3:PutObject'],
    [queueArn('thumbnails')]: consumes,
  },
  WebsocketLambdaFunction: {
    [arn.logGroup('websocket')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [arn.table('connections')]: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    [arn.table('subscriptions')]: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
  },
  // No Scan anywhere: the watchers of a group by Query, a gone connection's rows by key.
  NotifierLambdaFunction: {
    [arn.logGroup('notifier')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    '<ImagesTable.StreamArn>': ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
    [arn.table('subscriptions')]: ['dynamodb:BatchWriteItem', 'dynamodb:Query'],
    [arn.table('connections')]: ['dynamodb:DeleteItem'],
    [`arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref WebsocketsApi>/ci/POST/@connections/*`]: ['execute-api:ManageConnections'],
    [`arn:aws:sqs:${REGION}:${ACCOUNT}:udagram-ci-notifier-failures`]: ['sqs:SendMessage'],
  },
  ClassifierLambdaFunction: {
    [arn.logGroup('classifier')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
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
  const statements = role.Properties.Policies.flatMap((policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement);
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
    expect(ofType('AWS::IAM::Role').map(([id]) => id).sort()).toEqual([...roles].sort());
    for (const role of roles) expect(resources[role].Properties).not.toHaveProperty('ManagedPolicyArns');
  });

  it('has no `*` resource in any policy of the template', () => {
    const wildcardResources: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (typeof value !== 'object' || value === null) return;
      for (const [key, child] of Object.entries(value)) {
        if (key === 'Resource' && asList(resolve(child) as string | string[]).includes('*')) wildcardResources.push(path);
        visit(child, `${path}.${key}`);
      }
    };

    visit(resources, 'Resources');

    expect(wildcardResources).toEqual([]);
  });

  it('runs the API on the Lambda Node runtime (tools/bundle/lambda-platform.ts) on arm64 with source maps, behind an HTTP API', () => {
    const api = resources.ApiLambdaFunction.Properties;

    expect(api).toMatchObject({ Runtime: LAMBDA_NODE_RUNTIME, Architectures: ['arm64'], Handler: 'index.handler' });
    expect(api.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
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
    const subscriptions = ofType('AWS::SNS::Subscription').map(([, subscription]) => resolve(subscription.Properties));
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
    const queuePolicy = resolve(resources.PipelineQueuesPolicy.Properties) as { PolicyDocument: { Statement: unknown[] } };
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
    const mappingOf = (functionId: string) => mappings.find((mapping) => mapping.FunctionName['Fn::GetAtt'][0] === functionId)!;
    const classification = mappingOf('ClassificationWorkerLambdaFunction');
    const thumbnails = mappingOf('ThumbnailWorkerLambdaFunction');

    expect(mappings).toHaveLength(2);
    for (const [mapping, queueId] of [[classification, 'ClassificationQueue'], [thumbnails, 'ThumbnailQueue']] as const) {
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
    expect(Number(workerEnvironment.CLASSIFICATION_MAX_RECEIVE_COUNT)).toBe(resources.ClassificationQueue.Properties.RedrivePolicy.maxReceiveCount);
    expect(Number(workerEnvironment.CLASSIFIER_TIMEOUT_MS)).toBeGreaterThan(resources.ClassifierLambdaFunction.Properties.Timeout * 1000);
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
      const [, table] = ofType('AWS::DynamoDB::Table').find(([, resource]) => resource.Properties.TableName === definition.TableName)!;
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      // CloudFormation has no StreamEnabled: a view type turns the stream on.
      const { StreamSpecification, ...createTable } = definition as typeof definition & { StreamSpecification?: { StreamViewType: string } };
      expect(table.Properties).toEqual({
        ...createTable,
        ...(StreamSpecification ? { StreamSpecification: { StreamViewType: StreamSpecification.StreamViewType } } : {}),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('streams the images table (old and new items) into the notifier, filtered to status changes, batched and retried with bounds', () => {
    expect(resources.ImagesTable.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) => resolve(mapping.Properties.EventSourceArn) === '<ImagesTable.StreamArn>');
    expect(mappings).toHaveLength(1);
    const [[, mapping]] = mappings;

    expect(resolve(mapping.Properties)).toEqual({
      EventSourceArn: '<ImagesTable.StreamArn>',
      FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:udagram-ci-notifier`,
      Enabled: true,
      StartingPosition: 'LATEST',
      BatchSize: NOTIFIER_STREAM_SETTINGS.batchSize,
      MaximumBatchingWindowInSeconds: NOTIFIER_STREAM_SETTINGS.maximumBatchingWindowSeconds,
      ParallelizationFactor: NOTIFIER_STREAM_SETTINGS.parallelizationFactor,
      MaximumRetryAttempts: NOTIFIER_STREAM_SETTINGS.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: NOTIFIER_STREAM_SETTINGS.maximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: IMAGE_STATUS_FILTER_PATTERNS.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
      DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:udagram-ci-notifier-failures` } },
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

    expect(routes.map((route) => route.RouteKey).sort()).toEqual(['$connect', '$disconnect', 'subscribe', 'unsubscribe']);
    for (const key of ['subscribe', 'unsubscribe']) {
      expect(routes.find((route) => route.RouteKey === key)).toMatchObject({ RouteResponseSelectionExpression: '$default' });
    }
    expect(ofType('AWS::ApiGatewayV2::RouteResponse').map(([, response]) => response.Properties.RouteResponseKey)).toEqual(['$default', '$default']);
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
    expect(stages[0]![1].Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 26_000, ThrottlingBurstLimit: 6_500 });
    expect(apiStageThrottle()).toEqual({ rateLimit: 26_000, burstLimit: 6_500 });
  });

  it('puts one CloudFront distribution in front of the API, caching only GET and HEAD for seconds, keyed by page and Origin', () => {
    const { config } = distribution();
    const apiOrigin = config.Origins.find((origin: { Id: string }) => origin.Id === config.DefaultCacheBehavior.TargetOriginId);

    expect(resolve(apiOrigin.DomainName)).toBe(`<Ref HttpApi>.execute-api.${REGION}.amazonaws.com`);
    expect(apiOrigin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
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
    const behaviour = config.CacheBehaviors.find((candidate: { PathPattern: string }) => candidate.PathPattern === 'thumbnails/*');
    const origin = config.Origins.find((candidate: { Id: string }) => candidate.Id === behaviour.TargetOriginId);

    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': ['ImagesBucket', 'RegionalDomainName'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const [accessControlId] = origin.OriginAccessControlId['Fn::GetAtt'];
    expect(resources[accessControlId]).toMatchObject({
      Type: 'AWS::CloudFront::OriginAccessControl',
      Properties: { OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } },
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
    const statements = resolve(resources.ImagesBucketPolicy.Properties.PolicyDocument.Statement) as { Effect: string }[];

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

    expect(resolve(resources.ApiLambdaFunction.Properties.Environment.Variables.THUMBNAILS_CDN_URL)).toBe(`https://<${id}.DomainName>`);
  });
});
