/**
 * The Udagram stack for osls (the open-source Serverless Framework v3): `npx osls package|deploy --stage <s>
 * --region <r> --param="classifierImageUri=…" …` (docs/DEPLOY.md). osls loads this file through tsx, which reads
 * tsconfig.json, so the @app/* aliases work and the tables' schema comes from the libraries that use them.
 *
 * Adding a Node.js function: its entry in tools/bundle/lambda-entry-points.ts, a `nodeFunction(…)` below, and
 * its statements in FUNCTION_PERMISSIONS (the one place where a function's AWS permissions are written), its service
 * name in SERVICE_NAMES (tools/deploy/monitoring.ts) and, unless it is the hook, a line in SAFELY_DEPLOYED below.
 */
import { groupsTableDefinition } from '@app/groups';
import { imageLabelsTableDefinition, imagesTableDefinition } from '@app/images';
import {
  CONNECTIONS_TIME_TO_LIVE,
  connectionsTableDefinition,
  NOTIFIER_STREAM_SETTINGS,
  NOTIFIER_TIMEOUT_SECONDS,
  SUBSCRIPTIONS_TIME_TO_LIVE,
  subscriptionsTableDefinition,
} from '@app/notifications';
import type { AWS } from 'osls';
import { artifactPath, type NodeFunctionName } from './tools/bundle/lambda-entry-points.js';
import { LAMBDA_NODE_RUNTIME, LAMBDA_PLATFORM } from './tools/bundle/lambda-platform.js';
import { apiStageThrottle } from './tools/deploy/api-capacity.js';
import { cdnResources, cdnUrl, thumbnailsReadByCdnOnly } from './tools/deploy/cdn.js';
import { dynamoDbTableResource } from './tools/deploy/dynamodb-table-resource.js';
import { allow, executionRole, roleLogicalId, type AllowStatement } from './tools/deploy/execution-role.js';
import {
  API_ALARM_IDS,
  functionAlarmIds,
  monitoringResources,
  PIPELINE_ALARM_IDS,
  SERVICE_NAMES,
} from './tools/deploy/monitoring.js';
import {
  codeAndSettingsDescription,
  deploymentGroupArn,
  eventSourcesOnAliases,
  liveAliasArn,
  safeDeployResources,
  versionLogicalId,
} from './tools/deploy/safe-deploys.js';

type FunctionDefinition = NonNullable<AWS['functions']>[string];

// osls variables, resolved when the stack is packaged; `${AWS::…}` is left to CloudFormation's Fn::Sub.
const STAGE = '${sls:stage}';
const param = (name: string) => `\${param:${name}}`;

// KEY_LAYOUT_TRANSITION=1 for the first deploy of the sharded key layout only (docs/CAPACITY.md, "Migration").
const keyLayout = { legacyIndexes: process.env.KEY_LAYOUT_TRANSITION === '1' };
const groupsTable = groupsTableDefinition(`udagram-${STAGE}-groups`, keyLayout);
// `group-images`: the images table keyed by group shard is a new table (docs/CAPACITY.md, "Migration").
const imagesTable = imagesTableDefinition(`udagram-${STAGE}-group-images`);
const imageLabelsTable = imageLabelsTableDefinition(`udagram-${STAGE}-image-labels`, keyLayout);
const connectionsTable = connectionsTableDefinition(`udagram-${STAGE}-connections`);
const subscriptionsTable = subscriptionsTableDefinition(`udagram-${STAGE}-subscriptions`);

// A name known before the bucket exists (S3 names are global, hence account and region in it): the functions
// and policies refer to it without a Ref, so a bucket notification to a function adds no dependency cycle.
const IMAGES_BUCKET_NAME = `udagram-${STAGE}-images-\${AWS::AccountId}-\${AWS::Region}`;
const imagesBucketArn = (path = '') => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${IMAGES_BUCKET_NAME}${path}` });
const tableArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
/** An index of a table, checked against the library's definition so a renamed index fails the packaging. */
function indexArn(
  logicalId: string,
  definition: { GlobalSecondaryIndexes?: { IndexName: string }[] },
  indexName: string,
) {
  if (!definition.GlobalSecondaryIndexes?.some(({ IndexName }) => IndexName === indexName)) {
    throw new Error(`${logicalId} has no index ${indexName}`);
  }
  return { 'Fn::Join': ['/', [tableArn(logicalId), 'index', indexName]] };
}

/**
 * THE PIPELINE'S SIZING. Design target: 1,000 uploads/s sustained for an hour, 3,000/s bursts, p99 upload → label
 * under 10 s at the sustained rate. Measured service times (bench:pipeline, bench:classifier; one vCPU in AWS):
 * classifier ≈ 0.15 s warm per photo; the worker's own DynamoDB and S3 calls ≈ 0.04 s per photo.
 *
 * Batches: a classification worker takes up to 10 messages and classifies them in parallel, so one invocation lasts
 * as long as its slowest photo: W ≈ 0.4 s (the slowest of 10 classifications plus the writes), and one worker slot
 * moves 10 / 0.4 = 25 photos/s. Little's law (L = λ × W): 1,000/s → 100 batches/s × 0.4 s = 40 worker slots and
 * 1,000 × 0.15 = 150 busy classifiers. MaximumConcurrency 60 serves 1,500/s: the sustained rate with 1.5× headroom
 * for cold starts and slow photos (utilisation ≈ 0.65, so nothing waits at 1,000/s). A 3,000/s burst (120 slots) is
 * absorbed by the queue, not by more concurrency: 1,500/s × 600 s ≈ 900k messages wait (retention 4 days) and drain
 * at the 500/s spare in ≈ 30 min, with no throttling and nothing lost. Half of it (30 slots ≈ 750/s) cannot hold
 * 1,000/s: the seeded simulation (bench:pipeline-sim, reading the packaged template) shows the backlog grow with it
 * halved. (75 would drain a burst in 13 min, but its half, ≈ 37 slots, sits at the edge of the 1,000/s need.)
 *
 * Does the worker invoke the classifier synchronously (and pay while it waits)? Per photo the classifier costs
 * 1.769 GB × 0.15 s = 0.265 GB-s; the worker (512 MB) waits 0.4 s per batch of 10 = 0.02 GB-s per photo, under
 * 8% on top (arm64 $0.0000133/GB-s: ≈ $0.0035 vs $0.00027 per 1,000 photos). So yes: the ClassifierClient stays
 * the one way to the classifier, and no Lambda sits idle for long (10 waits share one worker).
 * The two limits agree: the classifier's reservation is exactly what the mapping can ask of it (60 × 10 = 600);
 * the account's concurrency quota must hold it beside the API (≈1,000 at 20k req/s × 50 ms) and 100 unreserved.
 */
const CLASSIFICATION_BATCH_SIZE = 10;
const CLASSIFICATION_MAX_CONCURRENCY = 60;
const CLASSIFIER_RESERVED_CONCURRENCY = CLASSIFICATION_MAX_CONCURRENCY * CLASSIFICATION_BATCH_SIZE;
/**
 * In one invocation: 2 classifier attempts of ≤ 16 s (the classifier's own 15 s timeout + 1 s) with ≤ 2 s back-off,
 * ≈ 34 s at worst; the queue's retries do the rest. Timeout 40 s.
 */
const CLASSIFIER_ATTEMPTS_PER_DELIVERY = 2;
const CLASSIFIER_ATTEMPT_TIMEOUT_MS = 16_000;
const CLASSIFICATION_WORKER_TIMEOUT_SECONDS = 40;
/** AWS's rule for an SQS event source: visibility timeout ≥ 6 × the function's timeout (6 × 40 = 240 s). */
const CLASSIFICATION_VISIBILITY_TIMEOUT_SECONDS = 6 * CLASSIFICATION_WORKER_TIMEOUT_SECONDS;
/**
 * 5 deliveries of 2 attempts: a photo dead-letters only after the classifier failed it 10 times over ≥ 16 min.
 * A throttle (429) puts the message back without marking the image; the last delivery's other transient failure
 * marks it FAILED (ClassifierUnavailable) and lets the message go to the dead-letter queue for `npm run redrive`.
 */
const CLASSIFICATION_MAX_RECEIVE_COUNT = 5;
/**
 * A batching window delays a lone upload for nothing at low traffic, and at 1,000/s 10 messages arrive in 10 ms:
 * a 1 s window costs at most 1 s of the 10 s p99 budget only when traffic is low, and halves invocations there.
 */
const CLASSIFICATION_BATCHING_WINDOW_SECONDS = 1;

/**
 * Thumbnails (sharp, 1 GB ≈ 0.6 vCPU): ≈ 0.1 s of CPU per photo, a batch of 10 ≈ 1 s → 10 photos/s per slot.
 * 1,000/s → 100 slots; MaximumConcurrency 200 (2,000/s) lets a 3,000/s burst of 10 min leave ≈ 600k thumbnails
 * that drain in ≈ 10 min afterwards (the label, which people wait for, does not queue behind them).
 */
const THUMBNAIL_BATCH_SIZE = 10;
const THUMBNAIL_MAX_CONCURRENCY = 200;
const THUMBNAIL_WORKER_TIMEOUT_SECONDS = 30;
const THUMBNAIL_VISIBILITY_TIMEOUT_SECONDS = 6 * THUMBNAIL_WORKER_TIMEOUT_SECONDS;
const THUMBNAIL_MAX_RECEIVE_COUNT = 3;

// Joined rather than Fn::Sub'd: osls would read `${WebsocketsApi}` as one of its own variables.
const websocketManagementEndpoint = {
  'Fn::Join': [
    '',
    [
      'https://',
      { Ref: 'WebsocketsApi' },
      '.execute-api.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      `/${STAGE}`,
    ],
  ],
};
/** PostToConnection on this API's stage only. */
const postToConnectionArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':execute-api:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':',
      { Ref: 'WebsocketsApi' },
      `/${STAGE}/POST/@connections/*`,
    ],
  ],
};
const queueArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const imagesStreamArn = { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] };
const notifierFailureQueueArn = queueArn('NotifierFailureQueue');
const uploadsTopicArn = { Ref: 'UploadsTopic' };
/** What Lambda's poller does with the worker's own role (a custom role gets nothing from osls). */
const consumeQueue = (logicalId: string) =>
  allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], [queueArn(logicalId)]);

const labellerEnvironment = {
  IMAGES_TABLE: { Ref: 'ImagesTable' },
  IMAGE_LABELS_TABLE: { Ref: 'ImageLabelsTable' },
  GROUPS_TABLE: { Ref: 'GroupsTable' },
  IMAGES_BUCKET: { 'Fn::Sub': IMAGES_BUCKET_NAME },
  // The `live` alias: during a canary, CodeDeploy splits the invocations between the old and the new version.
  CLASSIFIER_FUNCTION_NAME: liveAliasArn('classifier'),
  CLASSIFICATION_QUEUE_URL: { Ref: 'ClassificationQueue' },
  CLASSIFICATION_MAX_RECEIVE_COUNT: String(CLASSIFICATION_MAX_RECEIVE_COUNT),
  CLASSIFIER_MAX_ATTEMPTS: String(CLASSIFIER_ATTEMPTS_PER_DELIVERY),
  CLASSIFIER_TIMEOUT_MS: String(CLASSIFIER_ATTEMPT_TIMEOUT_MS),
  CLASSIFIER_RETRY_BASE_DELAY_MS: '200',
  CLASSIFIER_RETRY_MAX_DELAY_MS: '2000',
};

/** Every function but the pre-traffic hook goes live through its `live` alias and a canary (tools/deploy/safe-deploys.ts). */
const SAFELY_DEPLOYED = [
  'api',
  'classificationWorker',
  'thumbnailWorker',
  'websocket',
  'notifier',
  'classifier',
] as const;

/**
 * What rolls a canary back, besides the function's own errors and throttles: the API's 5xx rate and latency, and for
 * the classifier and its worker the pipeline's (upload → label p95, classifier errors by type). Not the dead-letter
 * depth or queue age: they stay in alarm until someone redrives, and would stop every deploy meanwhile.
 */
const ROLLBACK_ALARMS: Record<(typeof SAFELY_DEPLOYED)[number], string[]> = {
  api: [...functionAlarmIds('api'), ...API_ALARM_IDS],
  classificationWorker: [...functionAlarmIds('classificationWorker'), ...PIPELINE_ALARM_IDS],
  thumbnailWorker: functionAlarmIds('thumbnailWorker'),
  websocket: functionAlarmIds('websocket'),
  notifier: functionAlarmIds('notifier'),
  classifier: [...functionAlarmIds('classifier'), ...PIPELINE_ALARM_IDS],
};

/**
 * Each function's permissions besides writing its own log group, read from the calls its code makes. DynamoDB
 * checks a transaction item by item (Put → PutItem, Update → UpdateItem…), so TransactWriteItems needs no
 * action of its own; a presigned URL works only if its signer may do the signed action.
 */
const FUNCTION_PERMISSIONS = {
  api: [
    // Groups: create, read, the delete's mark and conditional delete, the group check inside image transactions
    // (ConditionCheck), /health's DescribeTable; the sharded listing through its index.
    allow(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DescribeTable',
      ],
      [tableArn('GroupsTable')],
    ),
    allow(['dynamodb:Query'], [indexArn('GroupsTable', groupsTable, 'byListingShard')]),
    // Images: a group's listing, label-search hits (BatchGet), create/delete in transactions, the claim and the
    // result of a re-classification (UpdateItem); by id through its index (keys only), then GetItem.
    allow(
      [
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ],
      [tableArn('ImagesTable')],
    ),
    allow(['dynamodb:Query'], [indexArn('ImagesTable', imagesTable, 'byImageIdKey')]),
    // The label index: search, and its items inside classification and deletion transactions.
    allow(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], [tableArn('ImageLabelsTable')]),
    allow(['dynamodb:Query'], [indexArn('ImageLabelsTable', imageLabelsTable, 'byGroupWordKey')]),
    // Presigned upload (PUT) and download (GET) URLs, and deleting a photo; thumbnails are only read and deleted.
    allow(['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], [imagesBucketArn('/images/*')]),
    allow(['s3:GetObject', 's3:DeleteObject'], [imagesBucketArn('/thumbnails/*')]),
    // /health's HeadBucket.
    allow(['s3:ListBucket'], [imagesBucketArn()]),
    // POST /images/{imageId}/classification and the backfill put their requests on the classification queue.
    allow(['sqs:SendMessage'], [queueArn('ClassificationQueue')]),
  ],
  // The classification worker (ClassificationQueue): finds the image by id, claims it and writes its result (image
  // and label index items in one transaction), presigns the classifier's GET and invokes the classifier.
  classificationWorker: [
    allow(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [tableArn('ImagesTable')]),
    allow(['dynamodb:Query'], [indexArn('ImagesTable', imagesTable, 'byImageIdKey')]),
    allow(['dynamodb:PutItem', 'dynamodb:DeleteItem'], [tableArn('ImageLabelsTable')]),
    // GetObject also covers the presigned GET the classifier downloads with.
    allow(['s3:GetObject'], [imagesBucketArn('/images/*')]),
    allow(['lambda:InvokeFunction'], [liveAliasArn('classifier')]),
    consumeQueue('ClassificationQueue'),
  ],
  // The thumbnail worker (ThumbnailQueue): finds the image, reads (and sizes: HeadObject is GetObject) the photo,
  // writes the thumbnail and records its key.
  thumbnailWorker: [
    allow(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [tableArn('ImagesTable')]),
    allow(['dynamodb:Query'], [indexArn('ImagesTable', imagesTable, 'byImageIdKey')]),
    allow(['s3:GetObject'], [imagesBucketArn('/images/*')]),
    allow(['s3:PutObject'], [imagesBucketArn('/thumbnails/*')]),
    consumeQueue('ThumbnailQueue'),
  ],
  // $connect and $disconnect: one row per open connection, listing its groups (UpdateItem); subscribe and
  // unsubscribe: one subscription item each; $disconnect deletes them by key (BatchWriteItem).
  websocket: [
    allow(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], [tableArn('ConnectionsTable')]),
    allow(['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'], [tableArn('SubscriptionsTable')]),
  ],
  // The images table's stream (read by the event source mapping with the function's role), the watchers of a group
  // by Query, a gone connection and its subscriptions deleted by key, the posts, and failed batches described on
  // its failure queue.
  notifier: [
    allow(
      ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
      [imagesStreamArn],
    ),
    allow(['dynamodb:Query', 'dynamodb:BatchWriteItem'], [tableArn('SubscriptionsTable')]),
    allow(['dynamodb:DeleteItem'], [tableArn('ConnectionsTable')]),
    allow(['execute-api:ManageConnections'], [postToConnectionArn]),
    allow(['sqs:SendMessage'], [notifierFailureQueueArn]),
  ],
  // It downloads the photo through the presigned URL in its payload and calls no AWS API.
  classifier: [],
  // CodeDeploy's pre-traffic hook: the known photo through the new classifier version, /health of the new API version
  // (exactly those two versions, published in this deploy), and its verdict for any of the stack's deployment groups.
  preTrafficHook: [
    allow(['lambda:InvokeFunction'], [{ Ref: versionLogicalId('classifier') }, { Ref: versionLogicalId('api') }]),
    allow(['s3:GetObject'], [imagesBucketArn('/deploy-checks/*')]),
    allow(
      ['codedeploy:PutLifecycleEventHookExecutionStatus'],
      SAFELY_DEPLOYED.map((name) => deploymentGroupArn(STAGE, name)),
    ),
  ],
} satisfies Record<string, AllowStatement[]>;

/**
 * A work queue and its dead-letter queue (`<logicalId>` and `<Name>DeadLetterQueue`), both SSE-SQS encrypted.
 * Dead letters stay 14 days (the maximum) for `npm run redrive`; the work queue keeps a message 4 days.
 */
function pipelineQueue(
  logicalId: string,
  name: string,
  options: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
) {
  const deadLetterId = logicalId.replace(/Queue$/, 'DeadLetterQueue');
  return {
    [logicalId]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `udagram-${STAGE}-${name}`,
        VisibilityTimeout: options.visibilityTimeoutSeconds,
        MessageRetentionPeriod: 4 * 24 * 3600,
        // Long polling by default for any consumer (Lambda's pollers long-poll anyway).
        ReceiveMessageWaitTimeSeconds: 20,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: queueArn(deadLetterId), maxReceiveCount: options.maxReceiveCount },
      },
    },
    [deadLetterId]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `udagram-${STAGE}-${name}-dead-letters`,
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
        // Only its own work queue may move letters here (by name: a GetAtt would make a dependency cycle).
        RedriveAllowPolicy: {
          redrivePermission: 'byQueue',
          sourceQueueArns: [
            { 'Fn::Sub': `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:udagram-${STAGE}-${name}` },
          ],
        },
      },
    },
  };
}

/** The queue receives the S3 event itself (raw delivery), not an SNS envelope around it. */
function uploadsSubscription(queueLogicalId: string) {
  return {
    Type: 'AWS::SNS::Subscription',
    Properties: {
      TopicArn: uploadsTopicArn,
      Protocol: 'sqs',
      Endpoint: queueArn(queueLogicalId),
      RawMessageDelivery: true,
    },
  };
}

/** A Node.js function deployed from the zip that `npm run build:lambda` made (tools/bundle). */
function nodeFunction(name: NodeFunctionName, definition: FunctionDefinition): FunctionDefinition {
  return {
    handler: 'index.handler',
    package: { artifact: artifactPath(name) },
    role: roleLogicalId(name),
    ...definition,
    // No NODE_OPTIONS=--enable-source-maps: each bundle maps its own stack traces when one is first formatted
    // (apps/api/src/stack-trace-mapping.ts), instead of Node reading the whole map at every cold start.
    environment: {
      POWERTOOLS_SERVICE_NAME: SERVICE_NAMES[name],
      ...definition.environment,
    },
  };
}

/**
 * X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions in IAM: `*` is the only
 * resource they accept. Every function traces (provider.tracing).
 */
const SEND_TRACES = {
  Effect: 'Allow' as const,
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: ['*'],
};

const configuration: AWS = {
  service: 'udagram',
  frameworkVersion: '4',
  provider: {
    name: 'aws',
    // Defaults: `--stage` and `--region` take precedence.
    stage: 'dev',
    region: 'eu-west-1',
    // The Node major of tools/bundle/lambda-platform.ts, the one the project develops and tests on.
    runtime: LAMBDA_NODE_RUNTIME,
    // arm64 (Graviton): about 20% cheaper per GB-second and as fast for this I/O-bound API. The classifier's
    // container image must then be built for linux/arm64 (docs/DEPLOY.md); the bundler installs native packages
    // (sharp) for the same platform.
    architecture: LAMBDA_PLATFORM.architecture,
    logRetentionInDays: 30,
    // Versions are published by the canary resources (tools/deploy/safe-deploys.ts), one per change of a function,
    // not by osls on every deploy.
    versionFunctions: false,
    // Active X-Ray tracing on every function: Lambda's own segments everywhere, the SDK's calls where the code
    // captures its clients (libs/observability, docs/MONITORING.md).
    tracing: { lambda: true },
    // HTTP API (v2) rather than REST (v1): about a third of the price and lower latency, and the API needs none of
    // REST's extras (API keys, usage plans, request validation, caching). CORS is deliberately not configured here:
    // API Gateway would then answer preflights itself and replace the app's CORS headers, while the app
    // (configureApp, CORS_ORIGINS) answers them the same way locally and in AWS. Preflights are cached 10 min.
    httpApi: { payload: '2.0' },
    logs: { httpApi: true },
    deploymentBucket: { blockPublicAccess: true },
  },
  package: { individually: true },
  functions: {
    api: nodeFunction('api', {
      description: 'Udagram HTTP API (NestJS through serverless-express)',
      events: [{ httpApi: '*' }],
      // Start-up (parsing the bundle, building the Nest app) is CPU-bound and CPU grows with memory: 1 GB boots in
      // about a second and is plenty for requests that mostly wait on DynamoDB.
      memorySize: 1024,
      // Requests wait only on DynamoDB, S3 and SQS (a re-classification is queued, not run): 10 s is generous.
      timeout: 10,
      environment: {
        IMAGES_TABLE: { Ref: 'ImagesTable' },
        IMAGE_LABELS_TABLE: { Ref: 'ImageLabelsTable' },
        GROUPS_TABLE: { Ref: 'GroupsTable' },
        IMAGES_BUCKET: { 'Fn::Sub': IMAGES_BUCKET_NAME },
        CLASSIFICATION_QUEUE_URL: { Ref: 'ClassificationQueue' },
        // Thumbnails at stable URLs on the CDN (tools/deploy/cdn.ts) instead of a new presigned URL per response.
        THUMBNAILS_CDN_URL: cdnUrl,
        // First pages of the public listings served from memory for 2 s: at 20,000 reads/s about 1,000 warm
        // instances (20,000 × 50 ms) read each hot first page ≤ 500 times/s instead of ~6,700 (docs/CAPACITY.md).
        LISTING_CACHE_TTL_MS: '2000',
        JWKS_URL: param('jwksUrl'),
        JWT_ISSUER: param('jwtIssuer'),
        JWT_AUDIENCE: param('jwtAudience'),
        CORS_ORIGINS: param('webOrigins'),
      },
    }),
    classificationWorker: nodeFunction('classificationWorker', {
      description: 'Udagram classification: ClassificationQueue → classifier → CLASSIFIED/FAILED, notification',
      // Mostly waiting on the classifier (sizing and cost above): 512 MB is enough for 10 parallel waits.
      memorySize: 512,
      timeout: CLASSIFICATION_WORKER_TIMEOUT_SECONDS,
      events: [
        {
          sqs: {
            arn: queueArn('ClassificationQueue'),
            batchSize: CLASSIFICATION_BATCH_SIZE,
            maximumBatchingWindow: CLASSIFICATION_BATCHING_WINDOW_SECONDS,
            // One bad photo never re-runs its batch-mates: the handler names the failed messages only.
            functionResponseType: 'ReportBatchItemFailures',
            maximumConcurrency: CLASSIFICATION_MAX_CONCURRENCY,
          },
        },
      ],
      environment: labellerEnvironment,
    }),
    thumbnailWorker: nodeFunction('thumbnailWorker', {
      description: 'Udagram thumbnails: ThumbnailQueue → 256 px JPEG beside the photo',
      // sharp decodes and resizes on CPU, which grows with memory.
      memorySize: 1024,
      timeout: THUMBNAIL_WORKER_TIMEOUT_SECONDS,
      events: [
        {
          sqs: {
            arn: queueArn('ThumbnailQueue'),
            batchSize: THUMBNAIL_BATCH_SIZE,
            maximumBatchingWindow: CLASSIFICATION_BATCHING_WINDOW_SECONDS,
            functionResponseType: 'ReportBatchItemFailures',
            maximumConcurrency: THUMBNAIL_MAX_CONCURRENCY,
          },
        },
      ],
      environment: {
        IMAGES_TABLE: { Ref: 'ImagesTable' },
        IMAGE_LABELS_TABLE: { Ref: 'ImageLabelsTable' },
        GROUPS_TABLE: { Ref: 'GroupsTable' },
        IMAGES_BUCKET: { 'Fn::Sub': IMAGES_BUCKET_NAME },
      },
    }),
    websocket: nodeFunction('websocket', {
      description:
        'Udagram WebSocket API: connections and the groups each watches ($connect, subscribe, unsubscribe, $disconnect)',
      // Messages are routed by `$request.body.action` (osls's default selection expression); subscribe and
      // unsubscribe answer the client through a route response (`Subscribed`, `SubscriptionRefused`…).
      events: [
        { websocket: { route: '$connect' } },
        { websocket: { route: '$disconnect' } },
        { websocket: { route: 'subscribe', routeResponseSelectionExpression: '$default' } },
        { websocket: { route: 'unsubscribe', routeResponseSelectionExpression: '$default' } },
      ],
      // Two or three small DynamoDB writes per invocation.
      memorySize: 512,
      timeout: 10,
      environment: {
        CONNECTIONS_TABLE: { Ref: 'ConnectionsTable' },
        SUBSCRIPTIONS_TABLE: { Ref: 'SubscriptionsTable' },
      },
    }),
    notifier: nodeFunction('notifier', {
      description:
        'Udagram notifier: image status changes on the images table stream → the WebSocket clients watching the group',
      // Any writer of the images table (pipeline, re-classification, backfill) is announced without calling anything.
      // Only status changes invoke it (filterPatterns, the same patterns the local stream poller applies); one
      // notification per image per batch, ten at once, 50 posts in flight per instance (libs/notifications):
      // ≈100 changes/s per instance, ≈1,000/s per stream shard with a parallelization factor of 10. Posts/s are
      // changes/s × watchers per group; API Gateway's account quota (10,000 requests/s by default, shared with the
      // HTTP API) must be raised past that (docs/NOTIFICATIONS.md has the arithmetic).
      events: [
        {
          stream: {
            type: 'dynamodb',
            arn: imagesStreamArn,
            startingPosition: 'LATEST',
            batchSize: NOTIFIER_STREAM_SETTINGS.batchSize,
            batchWindow: NOTIFIER_STREAM_SETTINGS.maximumBatchingWindowSeconds,
            parallelizationFactor: NOTIFIER_STREAM_SETTINGS.parallelizationFactor,
            maximumRetryAttempts: NOTIFIER_STREAM_SETTINGS.maximumRetryAttempts,
            maximumRecordAgeInSeconds: NOTIFIER_STREAM_SETTINGS.maximumRecordAgeInSeconds,
            bisectBatchOnFunctionError: NOTIFIER_STREAM_SETTINGS.bisectBatchOnFunctionError,
            // Time running short hands the rest back from the first record not announced.
            functionResponseType: 'ReportBatchItemFailures',
            filterPatterns: [...NOTIFIER_STREAM_SETTINGS.filterPatterns],
            destinations: { onFailure: { type: 'sqs', arn: notifierFailureQueueArn } },
          },
        },
      ],
      memorySize: 512,
      // Twice the worst case of one notification (100,000 watchers of one group: 40 s); none starts with less than
      // 45 s left.
      timeout: NOTIFIER_TIMEOUT_SECONDS,
      environment: {
        CONNECTIONS_TABLE: { Ref: 'ConnectionsTable' },
        SUBSCRIPTIONS_TABLE: { Ref: 'SubscriptionsTable' },
        WEBSOCKET_MANAGEMENT_ENDPOINT: websocketManagementEndpoint,
      },
    }),
    classifier: {
      description: 'Udagram image classifier (C++/OpenCV custom runtime, container image)',
      // A digest URI (…@sha256:…): `package` then needs no ECR call, and a deploy runs exactly the tested image.
      image: { uri: param('classifierImageUri') },
      role: roleLogicalId('classifier'),
      // 1769 MB is exactly one vCPU: inference is CPU-bound and single-threaded here (CLASSIFIER_THREADS=1), the
      // model and OpenCV need about 400 MB, so more memory would buy CPU the classifier does not use.
      memorySize: 1769,
      // Download + decode + one forward pass takes well under 2 s warm; 15 s covers the download's own 10 s limit
      // and stays below the worker's per-attempt timeout (16 s), so a stuck run is
      // ended by Lambda (Sandbox.Timedout, retried by the pipeline) rather than abandoned by its caller.
      timeout: 15,
      // Exactly what the classification mapping can ask for (MaximumConcurrency × batch size, above): reserved so
      // the API's traffic cannot starve it, capped so a flood cannot run up more. A throttle (429) is retried by the
      // worker, then the message goes back to the queue. No provisioned concurrency: labels arrive asynchronously.
      reservedConcurrency: CLASSIFIER_RESERVED_CONCURRENCY,
      environment: { CLASSIFIER_THREADS: '1', POWERTOOLS_SERVICE_NAME: SERVICE_NAMES.classifier },
    },
    preTrafficHook: nodeFunction('preTrafficHook', {
      description: 'Udagram deploys: CodeDeploy pre-traffic checks of the new classifier and API versions',
      // Two invocations it waits on (the classifier downloads and classifies one photo) and one report.
      memorySize: 512,
      timeout: 60,
      environment: {
        CLASSIFIER_VERSION_ARN: { Ref: versionLogicalId('classifier') },
        API_VERSION_ARN: { Ref: versionLogicalId('api') },
        IMAGES_BUCKET: { 'Fn::Sub': IMAGES_BUCKET_NAME },
        // The photo an operator put at deploy-checks/known-photo.jpg, and a word of the label it must get.
        KNOWN_PHOTO_LABEL: param("knownPhotoLabel, 'squirrel'"),
      },
    }),
  },
  resources: {
    Resources: {
      GroupsTable: dynamoDbTableResource(groupsTable),
      ImagesTable: dynamoDbTableResource(imagesTable),
      ImageLabelsTable: dynamoDbTableResource(imageLabelsTable),
      ConnectionsTable: dynamoDbTableResource(connectionsTable, { timeToLive: CONNECTIONS_TIME_TO_LIVE }),
      SubscriptionsTable: dynamoDbTableResource(subscriptionsTable, { timeToLive: SUBSCRIPTIONS_TIME_TO_LIVE }),
      // The notifier's failed stream batches (their shard and sequence numbers: the changes themselves stay readable
      // in the stream for 24 h). 14 days, for people to read.
      NotifierFailureQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: `udagram-${STAGE}-notifier-failures`,
          MessageRetentionPeriod: 1209600,
          SqsManagedSseEnabled: true,
        },
      },
      ...pipelineQueue('ClassificationQueue', 'classification', {
        visibilityTimeoutSeconds: CLASSIFICATION_VISIBILITY_TIMEOUT_SECONDS,
        maxReceiveCount: CLASSIFICATION_MAX_RECEIVE_COUNT,
      }),
      ...pipelineQueue('ThumbnailQueue', 'thumbnails', {
        visibilityTimeoutSeconds: THUMBNAIL_VISIBILITY_TIMEOUT_SECONDS,
        maxReceiveCount: THUMBNAIL_MAX_RECEIVE_COUNT,
      }),
      /**
       * The fan-out. S3 refuses two notification targets with overlapping filters, so the bucket notifies one SNS
       * topic and the topic delivers to both queues. SNS rather than EventBridge: raw delivery keeps S3's own event
       * shape in the queues (the worker parses one format, as locally), SNS → SQS delivery is free and takes tens of
       * milliseconds, and nothing needs EventBridge's content rules or archive ($1 per million events). The topic is
       * not KMS-encrypted: S3 would need a customer key policy for it; messages carry only object keys.
       */
      UploadsTopic: {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: `udagram-${STAGE}-uploads` },
      },
      // Only this bucket (of this account) may publish: the bucket is named before it exists, so no cycle.
      UploadsTopicPolicy: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [uploadsTopicArn],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'ImagesBucketPublishes',
                Effect: 'Allow',
                Principal: { Service: 's3.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: uploadsTopicArn,
                Condition: {
                  ArnEquals: { 'aws:SourceArn': imagesBucketArn() },
                  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                },
              },
            ],
          },
        },
      },
      ClassificationQueueSubscription: uploadsSubscription('ClassificationQueue'),
      ThumbnailQueueSubscription: uploadsSubscription('ThumbnailQueue'),
      // Only the uploads topic may send to the two queues (the API's SendMessage is granted by its role).
      PipelineQueuesPolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'ClassificationQueue' }, { Ref: 'ThumbnailQueue' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: ['ClassificationQueue', 'ThumbnailQueue'].map((logicalId) => ({
              Sid: `UploadsTopicSendsTo${logicalId}`,
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn(logicalId),
              Condition: { ArnEquals: { 'aws:SourceArn': uploadsTopicArn } },
            })),
          },
        },
      },
      ImagesBucket: {
        Type: 'AWS::S3::Bucket',
        // S3 checks that it may publish when the notification is configured.
        DependsOn: ['UploadsTopicPolicy'],
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BucketName: { 'Fn::Sub': IMAGES_BUCKET_NAME },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          // ACLs off: the bucket owner owns every object, whoever uploaded it through a presigned URL.
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          // SSE-S3 rather than KMS: presigned uploads and downloads need no kms:* permission.
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
          // The browser PUTs photos to presigned URLs and GETs them back.
          CorsConfiguration: {
            CorsRules: [
              {
                AllowedOrigins: { 'Fn::Split': [',', param('webOrigins')] },
                AllowedMethods: ['PUT', 'GET', 'HEAD'],
                AllowedHeaders: ['content-type'],
                ExposedHeaders: ['ETag'],
                MaxAge: 600,
              },
            ],
          },
          // Uploaded photos (not thumbnails) go to the pipeline, through the topic to both queues.
          NotificationConfiguration: {
            TopicConfigurations: [
              {
                Event: 's3:ObjectCreated:*',
                Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'images/' }] } },
                Topic: uploadsTopicArn,
              },
            ],
          },
          LifecycleConfiguration: {
            Rules: [
              {
                Id: 'abort-incomplete-uploads',
                Status: 'Enabled',
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              },
            ],
          },
        },
      },
      ImagesBucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'ImagesBucket' },
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [imagesBucketArn(), imagesBucketArn('/*')],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
              thumbnailsReadByCdnOnly(imagesBucketArn('/thumbnails/*')),
            ],
          },
        },
      },
      ...cdnResources(STAGE),
      ...monitoringResources({
        stage: STAGE,
        functionNames: [...SAFELY_DEPLOYED, 'preTrafficHook'],
        alarmEndpoint: param('alarmEndpoint'),
        alarmProtocol: param("alarmProtocol, 'email'"),
      }),
      ...Object.fromEntries(
        Object.entries(FUNCTION_PERMISSIONS).map(([name, statements]) => [
          roleLogicalId(name),
          executionRole(name, [...statements, SEND_TRACES]),
        ]),
      ),
    },
    Outputs: {
      ImagesBucketName: { Value: { Ref: 'ImagesBucket' } },
      GroupsTableName: { Value: { Ref: 'GroupsTable' } },
      ImagesTableName: { Value: { Ref: 'ImagesTable' } },
      ImageLabelsTableName: { Value: { Ref: 'ImageLabelsTable' } },
      ClassifierFunctionName: { Value: { Ref: 'ClassifierLambdaFunction' } },
      ConnectionsTableName: { Value: { Ref: 'ConnectionsTable' } },
      SubscriptionsTableName: { Value: { Ref: 'SubscriptionsTable' } },
      CdnUrl: { Value: cdnUrl },
      ClassificationQueueUrl: { Value: { Ref: 'ClassificationQueue' } },
      ClassificationDeadLetterQueueUrl: { Value: { Ref: 'ClassificationDeadLetterQueue' } },
      ThumbnailQueueUrl: { Value: { Ref: 'ThumbnailQueue' } },
      ThumbnailDeadLetterQueueUrl: { Value: { Ref: 'ThumbnailDeadLetterQueue' } },
    },
    extensions: {
      // Every event source and integration invokes the `live` alias (tools/deploy/safe-deploys.ts).
      ...eventSourcesOnAliases(),
      // The design target (20,000 reads/s, 1,000 uploads/s) with headroom, from tools/deploy/api-capacity.ts: a flood
      // beyond it is refused (429) before it reaches Lambda and DynamoDB. It needs raised account quotas
      // (docs/DEPLOY.md, "Capacity: stage throttle, quotas and the CDN").
      HttpApiStage: {
        Properties: {
          DefaultRouteSettings: {
            ThrottlingRateLimit: apiStageThrottle().rateLimit,
            ThrottlingBurstLimit: apiStageThrottle().burstLimit,
          },
        },
      },
    },
  },
};

/**
 * The canary resources come last: a function's version is replaced when its package or its definition changes, so
 * they read every function's final definition.
 */
configuration.resources!.Resources = {
  ...configuration.resources!.Resources,
  ...safeDeployResources(
    STAGE,
    SAFELY_DEPLOYED.map((name) => {
      const definition = configuration.functions![name]!;
      const settings = codeAndSettingsDescription(name === 'classifier' ? undefined : artifactPath(name), definition);
      return {
        name,
        // The classifier's code is its image: a new digest is a new version.
        versionDescription: name === 'classifier' ? `image ${param('classifierImageUri')} ${settings}` : settings,
        rollbackAlarmIds: ROLLBACK_ALARMS[name],
      };
    }),
    'preTrafficHook',
  ),
};

export default configuration;
