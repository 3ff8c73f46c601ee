/**
 * The Udagram stack for osls (the open-source Serverless Framework v3): `npx osls package|deploy --stage <s>
 * --region <r> --param="classifierImageUri=…" …` (docs/DEPLOY.md). osls loads this file through tsx, which reads
 * tsconfig.json, so the @app/* aliases work and the tables' schema comes from the libraries that use them.
 *
 * Adding a Node.js function: its entry in tools/bundle/lambda-entry-points.ts, a `nodeFunction(…)` below, and
 * its statements in FUNCTION_PERMISSIONS (the one place where a function's AWS permissions are written).
 */
import { groupsTableDefinition } from '@app/groups';
import { imageLabelsTableDefinition, imagesTableDefinition } from '@app/images';
import { CONNECTIONS_TIME_TO_LIVE, connectionsTableDefinition } from '@app/notifications';
import type { AWS } from 'osls';
import { artifactPath, type NodeFunctionName } from './tools/bundle/lambda-entry-points.js';
import { LAMBDA_PLATFORM } from './tools/bundle/lambda-platform.js';
import { dynamoDbTableResource } from './tools/deploy/dynamodb-table-resource.js';
import { allow, executionRole, roleLogicalId, type AllowStatement } from './tools/deploy/execution-role.js';

type FunctionDefinition = NonNullable<AWS['functions']>[string];

// osls variables, resolved when the stack is packaged; `${AWS::…}` is left to CloudFormation's Fn::Sub.
const STAGE = '${sls:stage}';
const param = (name: string) => `\${param:${name}}`;

// KEY_LAYOUT_TRANSITION=1 for the first deploy of the sharded key layout only (docs/CAPACITY.md, "Migration").
const keyLayout = { legacyIndexes: process.env.KEY_LAYOUT_TRANSITION === '1' };
const groupsTable = groupsTableDefinition(`udagram-${STAGE}-groups`, keyLayout);
const imagesTable = imagesTableDefinition(`udagram-${STAGE}-images`, keyLayout);
const imageLabelsTable = imageLabelsTableDefinition(`udagram-${STAGE}-image-labels`, keyLayout);
const connectionsTable = connectionsTableDefinition(`udagram-${STAGE}-connections`);

// A name known before the bucket exists (S3 names are global, hence account and region in it): the functions
// and policies refer to it without a Ref, so a bucket notification to a function adds no dependency cycle.
const IMAGES_BUCKET_NAME = `udagram-${STAGE}-images-\${AWS::AccountId}-\${AWS::Region}`;
const imagesBucketArn = (path = '') => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${IMAGES_BUCKET_NAME}${path}` });
const tableArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
/** An index of a table, checked against the library's definition so a renamed index fails the packaging. */
function indexArn(logicalId: string, definition: { GlobalSecondaryIndexes?: { IndexName: string }[] }, indexName: string) {
  if (!definition.GlobalSecondaryIndexes?.some(({ IndexName }) => IndexName === indexName)) {
    throw new Error(`${logicalId} has no index ${indexName}`);
  }
  return { 'Fn::Join': ['/', [tableArn(logicalId), 'index', indexName]] };
}

// Joined rather than Fn::Sub'd: osls would read `${WebsocketsApi}` as one of its own variables.
const websocketManagementEndpoint = {
  'Fn::Join': ['', ['https://', { Ref: 'WebsocketsApi' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, `/${STAGE}`]],
};
/** PostToConnection on this API's stage only. */
const postToConnectionArn = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: 'WebsocketsApi' }, `/${STAGE}/POST/@connections/*`],
  ],
};
const deadLetterQueueArn = { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] };
const classifierArn = { 'Fn::GetAtt': ['ClassifierLambdaFunction', 'Arn'] };

/**
 * What every function running ImageLabeller does besides its DynamoDB and S3 work: announce the new status to the
 * WebSocket clients (list the connections, forget the gone ones, push) and send dead letters.
 */
const labellerSidePermissions = [
  allow(['dynamodb:Scan', 'dynamodb:DeleteItem'], [tableArn('ConnectionsTable')]),
  allow(['execute-api:ManageConnections'], [postToConnectionArn]),
  allow(['sqs:SendMessage'], [deadLetterQueueArn]),
];
const labellerEnvironment = {
  IMAGES_TABLE: { Ref: 'ImagesTable' },
  IMAGE_LABELS_TABLE: { Ref: 'ImageLabelsTable' },
  GROUPS_TABLE: { Ref: 'GroupsTable' },
  IMAGES_BUCKET: { 'Fn::Sub': IMAGES_BUCKET_NAME },
  CLASSIFIER_FUNCTION_NAME: { Ref: 'ClassifierLambdaFunction' },
  CONNECTIONS_TABLE: { Ref: 'ConnectionsTable' },
  WEBSOCKET_MANAGEMENT_ENDPOINT: websocketManagementEndpoint,
  DEAD_LETTER_QUEUE_URL: { Ref: 'DeadLetterQueue' },
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
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'],
      [tableArn('GroupsTable')],
    ),
    allow(['dynamodb:Query'], [indexArn('GroupsTable', groupsTable, 'byListingShard')]),
    // Images: a group's listing, label-search hits (BatchGet), create/delete in transactions, the claim and the
    // result of a re-classification (UpdateItem); by id through its index (keys only), then GetItem.
    allow(
      ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
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
    // POST /images/{imageId}/classification runs the classifier synchronously, then announces the result.
    allow(['lambda:InvokeFunction'], [classifierArn]),
    ...labellerSidePermissions,
  ],
  // The S3 upload handler: finds the image by id, claims it and writes its result (image and label index items in
  // one transaction), presigns the classifier's GET, reads the photo for the thumbnail and writes the thumbnail.
  upload: [
    allow(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [tableArn('ImagesTable')]),
    allow(['dynamodb:Query'], [indexArn('ImagesTable', imagesTable, 'byImageIdKey')]),
    allow(['dynamodb:PutItem', 'dynamodb:DeleteItem'], [tableArn('ImageLabelsTable')]),
    // GetObject also covers HeadObject and the presigned GET the classifier downloads with.
    allow(['s3:GetObject'], [imagesBucketArn('/images/*')]),
    allow(['s3:PutObject'], [imagesBucketArn('/thumbnails/*')]),
    allow(['lambda:InvokeFunction'], [classifierArn]),
    ...labellerSidePermissions,
  ],
  // $connect and $disconnect: one row per open connection.
  websocket: [allow(['dynamodb:PutItem', 'dynamodb:DeleteItem'], [tableArn('ConnectionsTable')])],
  // It downloads the photo through the presigned URL in its payload and calls no AWS API.
  classifier: [],
} satisfies Record<string, AllowStatement[]>;

/** A Node.js function deployed from the zip that `npm run build:lambda` made (tools/bundle). */
function nodeFunction(name: NodeFunctionName, definition: FunctionDefinition): FunctionDefinition {
  return {
    handler: 'index.handler',
    package: { artifact: artifactPath(name) },
    role: roleLogicalId(name),
    ...definition,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...definition.environment },
  };
}

const configuration: AWS = {
  service: 'udagram',
  frameworkVersion: '4',
  provider: {
    name: 'aws',
    // Defaults: `--stage` and `--region` take precedence.
    stage: 'dev',
    region: 'eu-west-1',
    runtime: 'nodejs22.x',
    // arm64 (Graviton): about 20% cheaper per GB-second and as fast for this I/O-bound API. The classifier's
    // container image must then be built for linux/arm64 (docs/DEPLOY.md); the bundler installs native packages
    // (sharp) for the same platform.
    architecture: LAMBDA_PLATFORM.architecture,
    logRetentionInDays: 30,
    // No alias or provisioned concurrency uses published versions; without them every deploy would keep one.
    versionFunctions: false,
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
      // Just below the HTTP API's 30 s integration limit: a re-classification waits for the classifier (below).
      timeout: 29,
      environment: {
        ...labellerEnvironment,
        // Inside an HTTP request: one attempt, long enough for a cold classifier (init + its 15 s), no retry; a
        // failure is recorded on the image and the caller may ask again.
        CLASSIFIER_MAX_ATTEMPTS: '1',
        CLASSIFIER_TIMEOUT_MS: '25000',
        // First pages of the public listings served from memory for 2 s: at 20,000 reads/s about 1,000 warm
        // instances (20,000 × 50 ms) read each hot first page ≤ 500 times/s instead of ~6,700 (docs/CAPACITY.md).
        LISTING_CACHE_TTL_MS: '2000',
        JWKS_URL: param('jwksUrl'),
        JWT_ISSUER: param('jwtIssuer'),
        JWT_AUDIENCE: param('jwtAudience'),
        CORS_ORIGINS: param('webOrigins'),
      },
    }),
    upload: nodeFunction('upload', {
      description: 'Udagram upload pipeline: S3 ObjectCreated → classifier → CLASSIFIED/FAILED, thumbnail, notification',
      // Invoked by the bucket's notification (below), asynchronously: Lambda retries a failed invocation twice, then
      // sends the event to the dead-letter queue. The handler itself ends an image FAILED with its reason once the
      // classifier's retries are spent, and sends its own dead letter.
      memorySize: 1024,
      // Up to 3 classifier attempts of ≤ 15 s with back-off, then the thumbnail: comfortably under 2 minutes.
      timeout: 120,
      maximumRetryAttempts: 2,
      destinations: { onFailure: { type: 'sqs', arn: deadLetterQueueArn } },
      // As many as the classifier's reservation can serve; more would only be throttled by it.
      reservedConcurrency: 10,
      environment: labellerEnvironment,
    }),
    websocket: nodeFunction('websocket', {
      description: 'Udagram WebSocket API: $connect and $disconnect keep the connections that notifications go to',
      events: [{ websocket: { route: '$connect' } }, { websocket: { route: '$disconnect' } }],
      // One small DynamoDB write per invocation.
      memorySize: 512,
      timeout: 10,
      environment: { CONNECTIONS_TABLE: { Ref: 'ConnectionsTable' } },
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
      // and stays below the callers' per-attempt timeouts (25 s in the API, 30 s by default), so a stuck run is
      // ended by Lambda (Sandbox.Timedout, retried by the pipeline) rather than abandoned by its caller.
      timeout: 15,
      // Caps the cost and the concurrent 1.7 GB sandboxes; the caller retries TooManyRequests with back-off, and
      // the reservation also keeps these 10 free for it when the API is busy. No provisioned concurrency: labels
      // arrive asynchronously (the image is PENDING meanwhile), so a cold start of a few seconds is acceptable.
      reservedConcurrency: 10,
      environment: { CLASSIFIER_THREADS: '1' },
    },
  },
  resources: {
    Resources: {
      GroupsTable: dynamoDbTableResource(groupsTable),
      ImagesTable: dynamoDbTableResource(imagesTable),
      ImageLabelsTable: dynamoDbTableResource(imageLabelsTable),
      ConnectionsTable: dynamoDbTableResource(connectionsTable, { timeToLive: CONNECTIONS_TIME_TO_LIVE }),
      DeadLetterQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: `udagram-${STAGE}-upload-dead-letters`,
          // 14 days, the maximum: dead letters are for people to read and re-drive.
          MessageRetentionPeriod: 1209600,
          SqsManagedSseEnabled: true,
        },
      },
      // S3 may invoke the upload function for this bucket only (and this account's bucket of that name).
      UploadLambdaPermissionImagesBucket: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': ['UploadLambdaFunction', 'Arn'] },
          Principal: 's3.amazonaws.com',
          SourceArn: imagesBucketArn(),
          SourceAccount: { Ref: 'AWS::AccountId' },
        },
      },
      ImagesBucket: {
        Type: 'AWS::S3::Bucket',
        // S3 checks the permission when the notification is configured.
        DependsOn: ['UploadLambdaPermissionImagesBucket'],
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
          // Uploaded photos (not thumbnails) go to the upload pipeline.
          NotificationConfiguration: {
            LambdaConfigurations: [
              {
                Event: 's3:ObjectCreated:*',
                Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'images/' }] } },
                Function: { 'Fn::GetAtt': ['UploadLambdaFunction', 'Arn'] },
              },
            ],
          },
          LifecycleConfiguration: {
            Rules: [{ Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
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
            ],
          },
        },
      },
      ...Object.fromEntries(
        Object.entries(FUNCTION_PERMISSIONS).map(([name, statements]) => [roleLogicalId(name), executionRole(name, statements)]),
      ),
    },
    Outputs: {
      ImagesBucketName: { Value: { Ref: 'ImagesBucket' } },
      GroupsTableName: { Value: { Ref: 'GroupsTable' } },
      ImagesTableName: { Value: { Ref: 'ImagesTable' } },
      ImageLabelsTableName: { Value: { Ref: 'ImageLabelsTable' } },
      ClassifierFunctionName: { Value: { Ref: 'ClassifierLambdaFunction' } },
      ConnectionsTableName: { Value: { Ref: 'ConnectionsTable' } },
      DeadLetterQueueUrl: { Value: { Ref: 'DeadLetterQueue' } },
    },
    extensions: {
      // Caps a flood before it reaches Lambda and DynamoDB; raise with the traffic.
      HttpApiStage: { Properties: { DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 } } },
    },
  },
};

export default configuration;
