/**
 * Alarms, their SNS topic and the operations dashboard (docs/MONITORING.md). Every alarm notifies the alarm topic;
 * the pipeline's and each function's alarms also roll a canary deployment back (tools/deploy/safe-deploys.ts).
 * Missing data is "not breaching": a quiet stage at night is not an incident.
 */
import { METRIC, METRICS_NAMESPACE } from '@app/observability';
import type { CloudFormationValue } from './execution-role.js';

type Dimensions = Record<string, CloudFormationValue>;

export interface MetricReference {
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
}

/** osls's HTTP API has one stage, `$default`; API Gateway publishes its metrics under ApiId and Stage. */
const httpApiMetric = (metricName: string): MetricReference => ({
  namespace: 'AWS/ApiGateway',
  metricName,
  dimensions: { ApiId: { Ref: 'HttpApi' }, Stage: '$default' },
});
const lambdaMetric = (functionLogicalId: string, metricName: string): MetricReference => ({
  namespace: 'AWS/Lambda',
  metricName,
  dimensions: { FunctionName: { Ref: functionLogicalId } },
});
const queueMetric = (queueLogicalId: string, metricName: string): MetricReference => ({
  namespace: 'AWS/SQS',
  metricName,
  dimensions: { QueueName: { 'Fn::GetAtt': [queueLogicalId, 'QueueName'] } },
});
/** The application's own metrics (libs/observability, METRIC) carry the writing function's service name. */
const udagramMetric = (metricName: string, service: string, dimensions: Dimensions = {}): MetricReference => ({
  namespace: METRICS_NAMESPACE,
  metricName,
  dimensions: { service, ...dimensions },
});

const asCloudWatchDimensions = (dimensions: Dimensions) =>
  Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));

interface AlarmOptions {
  description: string;
  threshold: number;
  /** Periods of `periodSeconds` looked at, and how many of them must breach. */
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  periodSeconds?: number;
  comparison?: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
}

function alarm(name: string, metric: MetricReference, statistic: string, options: AlarmOptions) {
  const percentile = /^p\d+(\.\d+)?$/.test(statistic);
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: name,
      AlarmDescription: options.description,
      Namespace: metric.namespace,
      MetricName: metric.metricName,
      Dimensions: asCloudWatchDimensions(metric.dimensions),
      ...(percentile ? { ExtendedStatistic: statistic } : { Statistic: statistic }),
      Period: options.periodSeconds ?? 60,
      EvaluationPeriods: options.evaluationPeriods,
      DatapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods,
      Threshold: options.threshold,
      ComparisonOperator: options.comparison ?? 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    },
  };
}

/** Services as POWERTOOLS_SERVICE_NAME names them (serverless.ts), the `service` dimension of METRIC. */
export const SERVICE_NAMES = {
  api: 'udagram-api',
  classificationWorker: 'classification-worker',
  thumbnailWorker: 'thumbnail-worker',
  websocket: 'websocket',
  notifier: 'notifier',
  classifier: 'classifier',
  preTrafficHook: 'pre-traffic-hook',
} as const;

/**
 * The classification failures that say the classifier (or what it reads from) is broken, not that a user sent a bad
 * photo (InvalidInput, DecodeFailure… are the photo's fault and are only charted).
 */
export const ALARMED_CLASSIFIER_ERROR_TYPES = [
  'ModelError',
  'MalformedResponse',
  'DeadlineExceeded',
  'DownloadFailed',
  'ClassifierUnavailable',
];

/** Every queue a message can be parked in for people: depth > 0 is an alarm. */
export const DEAD_LETTER_QUEUES = ['ClassificationDeadLetterQueue', 'ThumbnailDeadLetterQueue', 'NotifierFailureQueue'];

/** ApproximateAgeOfOldestMessage limits: a 3,000/s burst drains in ≈ 30 min (serverless.ts), so 15 min sustained
 * is unusual for classification; thumbnails may lag longer behind a burst (≈ 10 min drain plus the burst). */
const QUEUE_AGE_LIMIT_SECONDS = { ClassificationQueue: 900, ThumbnailQueue: 1800 };

const logicalIdOf = (functionName: string) =>
  `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}LambdaFunction`;
const alarmIdOf = (functionName: string, kind: string) =>
  `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}${kind}Alarm`;

/** The logical ids of the alarms that watch one function (its errors and throttles), for its deployment group. */
export function functionAlarmIds(functionName: string): string[] {
  return [alarmIdOf(functionName, 'Errors'), alarmIdOf(functionName, 'Throttles')];
}

/** The alarms that say an API deploy is bad (5xx rate, p99 latency). */
export const API_ALARM_IDS = ['ApiServerErrorRateAlarm', 'ApiLatencyP99Alarm'];
/** The alarms that say the labelling pipeline is bad (upload → label p95, classifier errors by type). */
export const PIPELINE_ALARM_IDS = [
  'UploadToLabelP95Alarm',
  ...ALARMED_CLASSIFIER_ERROR_TYPES.map((type) => `ClassifierError${type}Alarm`),
];

export interface MonitoringOptions {
  stage: string;
  functionNames: readonly string[];
  /** The alarm topic's subscriber: an e-mail address, or an HTTPS endpoint with protocol `https`. */
  alarmEndpoint: CloudFormationValue;
  alarmProtocol: CloudFormationValue;
}

export function monitoringResources({ stage, functionNames, alarmEndpoint, alarmProtocol }: MonitoringOptions) {
  const prefix = `udagram-${stage}`;
  const resources: Record<string, unknown> = {
    AlarmTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: `${prefix}-alarms` } },
    AlarmTopicSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: alarmProtocol, Endpoint: alarmEndpoint },
    },
    // Only CloudWatch alarms of this account publish to it.
    AlarmTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'AlarmTopic' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: 'AlarmTopic' },
              Condition: {
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${prefix}-*`,
                  },
                },
              },
            },
          ],
        },
      },
    },
    // 5xx as a share of requests (math on two metrics): ≥ 1% for 3 of 5 minutes.
    ApiServerErrorRateAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${prefix}-api-5xx-rate`,
        AlarmDescription: 'HTTP API: 5xx responses above 1% of requests for 3 of 5 minutes',
        Metrics: [
          { Id: 'errors', ReturnData: false, MetricStat: metricStat(httpApiMetric('5xx'), 'Sum') },
          { Id: 'requests', ReturnData: false, MetricStat: metricStat(httpApiMetric('Count'), 'Sum') },
          { Id: 'rate', Label: '5xx %', ReturnData: true, Expression: 'IF(requests > 0, 100 * errors / requests, 0)' },
        ],
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
      },
    },
    // Reads answer in ≈ 50 ms warm (docs/CAPACITY.md): a p99 over 1 s for 3 minutes is a regression or an outage.
    ApiLatencyP99Alarm: alarm(`${prefix}-api-latency-p99`, httpApiMetric('Latency'), 'p99', {
      description: 'HTTP API: p99 latency above 1 s for 3 of 5 minutes',
      threshold: 1000,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    }),
    // The design's target is p99 under 10 s at 1,000 uploads/s (serverless.ts): p95 over 10 s is well past it.
    UploadToLabelP95Alarm: alarm(
      `${prefix}-upload-to-label-p95`,
      udagramMetric(METRIC.uploadToLabelLatency, SERVICE_NAMES.classificationWorker),
      'p95',
      {
        description: 'Upload → label: p95 above 10 s for 3 of 5 minutes',
        threshold: 10_000,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      },
    ),
  };
  for (const errorType of ALARMED_CLASSIFIER_ERROR_TYPES) {
    resources[`ClassifierError${errorType}Alarm`] = alarm(
      `${prefix}-classifier-${errorType}`,
      udagramMetric(METRIC.imageFailed, SERVICE_NAMES.classificationWorker, { errorType }),
      'Sum',
      {
        description: `Images FAILED with ${errorType}: 5 or more in 5 minutes`,
        threshold: 5,
        evaluationPeriods: 1,
        periodSeconds: 300,
        comparison: 'GreaterThanOrEqualToThreshold',
      },
    );
  }
  for (const functionName of functionNames) {
    const functionId = logicalIdOf(functionName);
    const [errorsId, throttlesId] = functionAlarmIds(functionName);
    resources[errorsId!] = alarm(`${prefix}-${functionName}-errors`, lambdaMetric(functionId, 'Errors'), 'Sum', {
      description: `${functionName}: invocation errors (crashes, timeouts, unhandled) in 2 consecutive minutes`,
      threshold: 0,
      evaluationPeriods: 2,
    });
    // Throttling is how a burst is absorbed (the queues wait), so only a throttle lasting 5 minutes is an alarm.
    resources[throttlesId!] = alarm(
      `${prefix}-${functionName}-throttles`,
      lambdaMetric(functionId, 'Throttles'),
      'Sum',
      {
        description: `${functionName}: throttled in each of 5 consecutive minutes`,
        threshold: 0,
        evaluationPeriods: 5,
      },
    );
  }
  for (const [queueId, limit] of Object.entries(QUEUE_AGE_LIMIT_SECONDS)) {
    resources[`${queueId}AgeAlarm`] = alarm(
      `${prefix}-${queueId}-age`,
      queueMetric(queueId, 'ApproximateAgeOfOldestMessage'),
      'Maximum',
      {
        description: `${queueId}: oldest message waiting over ${limit / 60} min for 3 consecutive minutes`,
        threshold: limit,
        evaluationPeriods: 3,
      },
    );
  }
  for (const queueId of DEAD_LETTER_QUEUES) {
    resources[`${queueId}DepthAlarm`] = alarm(
      `${prefix}-${queueId}-depth`,
      queueMetric(queueId, 'ApproximateNumberOfMessagesVisible'),
      'Maximum',
      {
        description: `${queueId}: a message is waiting for a person (npm run redrive, docs/PIPELINE.md)`,
        threshold: 0,
        evaluationPeriods: 1,
      },
    );
  }
  resources.OperationsDashboard = dashboard(prefix, functionNames);
  return resources;
}

function metricStat(metric: MetricReference, stat: string, periodSeconds = 60) {
  return {
    Metric: {
      Namespace: metric.namespace,
      MetricName: metric.metricName,
      Dimensions: asCloudWatchDimensions(metric.dimensions),
    },
    Period: periodSeconds,
    Stat: stat,
  };
}

/** A dashboard widget's metric line: [namespace, name, dimension, value, …, { stat, label }]. */
function widgetMetric(metric: MetricReference, options: Record<string, unknown> = {}) {
  return [metric.namespace, metric.metricName, ...Object.entries(metric.dimensions).flat(), options];
}

function graph(
  title: string,
  metrics: unknown[][],
  position: { x: number; y: number },
  properties: Record<string, unknown> = {},
) {
  return {
    type: 'metric',
    ...position,
    width: 12,
    height: 6,
    properties: { title, metrics, view: 'timeSeries', region: { Ref: 'AWS::Region' }, period: 60, ...properties },
  };
}

/** The operations dashboard: API, pipeline, classifier, queues, notifications, each function's health. */
function dashboard(prefix: string, functionNames: readonly string[]) {
  const worker = SERVICE_NAMES.classificationWorker;
  const widgets = [
    graph(
      'API requests and 5xx',
      [widgetMetric(httpApiMetric('Count'), { stat: 'Sum' }), widgetMetric(httpApiMetric('5xx'), { stat: 'Sum' })],
      { x: 0, y: 0 },
    ),
    graph(
      'API latency p50 / p99 (ms)',
      [
        widgetMetric(httpApiMetric('Latency'), { stat: 'p50' }),
        widgetMetric(httpApiMetric('Latency'), { stat: 'p99' }),
      ],
      { x: 12, y: 0 },
    ),
    graph(
      'Images created, labelled, failed',
      [
        widgetMetric(udagramMetric(METRIC.imageCreated, SERVICE_NAMES.api), { stat: 'Sum' }),
        widgetMetric(udagramMetric(METRIC.imageLabelled, worker), { stat: 'Sum' }),
        ...ALARMED_CLASSIFIER_ERROR_TYPES.map((errorType) =>
          widgetMetric(udagramMetric(METRIC.imageFailed, worker, { errorType }), { stat: 'Sum' }),
        ),
      ],
      { x: 0, y: 6 },
    ),
    graph(
      'Upload → label (ms)',
      [
        widgetMetric(udagramMetric(METRIC.uploadToLabelLatency, worker), { stat: 'p50' }),
        widgetMetric(udagramMetric(METRIC.uploadToLabelLatency, worker), { stat: 'p95' }),
        widgetMetric(udagramMetric(METRIC.uploadToLabelLatency, worker), { stat: 'p99' }),
      ],
      { x: 12, y: 6 },
      { annotations: { horizontal: [{ label: 'p95 alarm', value: 10_000 }] } },
    ),
    graph(
      'Classifier time per photo, p95 (ms)',
      [
        METRIC.classifierDownloadTime,
        METRIC.classifierDecodeTime,
        METRIC.classifierInferenceTime,
        METRIC.classifierDuration,
      ].map((name) => widgetMetric(udagramMetric(name, worker), { stat: 'p95' })),
      { x: 0, y: 12 },
    ),
    graph(
      'Queues: age of oldest message (s)',
      Object.keys(QUEUE_AGE_LIMIT_SECONDS).map((queueId) =>
        widgetMetric(queueMetric(queueId, 'ApproximateAgeOfOldestMessage'), { stat: 'Maximum' }),
      ),
      { x: 12, y: 12 },
    ),
    graph(
      'Dead letters: queued and given up',
      [
        ...DEAD_LETTER_QUEUES.map((queueId) =>
          widgetMetric(queueMetric(queueId, 'ApproximateNumberOfMessagesVisible'), { stat: 'Maximum' }),
        ),
        widgetMetric(udagramMetric(METRIC.deadLetter, worker, { queue: 'classification' }), { stat: 'Sum' }),
      ],
      { x: 0, y: 18 },
    ),
    graph(
      'Notifications sent / gone',
      [
        widgetMetric(udagramMetric(METRIC.notificationsSent, SERVICE_NAMES.notifier), { stat: 'Sum' }),
        widgetMetric(udagramMetric(METRIC.notificationsGone, SERVICE_NAMES.notifier), { stat: 'Sum' }),
      ],
      { x: 12, y: 18 },
    ),
    graph(
      'Function errors',
      functionNames.map((name) =>
        widgetMetric(lambdaMetric(logicalIdOf(name), 'Errors'), { stat: 'Sum', label: name }),
      ),
      { x: 0, y: 24 },
    ),
    graph(
      'Function throttles',
      functionNames.map((name) =>
        widgetMetric(lambdaMetric(logicalIdOf(name), 'Throttles'), { stat: 'Sum', label: name }),
      ),
      { x: 12, y: 24 },
    ),
    graph(
      'Cold starts',
      functionNames
        // The Node functions whose applications count their boots (MetricsModule); not the C++ classifier or the hook.
        .filter((name) => name in SERVICE_NAMES && name !== 'classifier' && name !== 'preTrafficHook')
        .map((name) =>
          widgetMetric(udagramMetric(METRIC.coldStart, SERVICE_NAMES[name as keyof typeof SERVICE_NAMES]), {
            stat: 'Sum',
            label: name,
          }),
        ),
      { x: 0, y: 30 },
    ),
    {
      type: 'alarm',
      x: 12,
      y: 30,
      width: 12,
      height: 6,
      properties: {
        title: 'Alarms',
        alarms: [
          ...API_ALARM_IDS,
          ...PIPELINE_ALARM_IDS,
          ...DEAD_LETTER_QUEUES.map((queueId) => `${queueId}DepthAlarm`),
        ].map((alarmId) => ({
          'Fn::GetAtt': [alarmId, 'Arn'],
        })),
      },
    },
  ];
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: { DashboardName: `${prefix}-operations`, DashboardBody: jsonWithIntrinsics({ widgets }) },
  };
}

/**
 * A JSON document as CloudFormation builds it: the intrinsic functions inside (Refs to the API, functions, queues)
 * are spliced in with Fn::Join. Not Fn::Sub: osls would read `${…}` as one of its own variables.
 */
export function jsonWithIntrinsics(document: unknown): CloudFormationValue {
  const intrinsics: unknown[] = [];
  const isIntrinsic = (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    /^(Ref|Fn::)/.test(Object.keys(value)[0]!);
  const text = JSON.stringify(document, (_key, value: unknown) => {
    if (!isIntrinsic(value)) return value;
    intrinsics.push(value);
    return `@@intrinsic:${intrinsics.length - 1}@@`;
  });
  const parts = text
    .split(/"@@intrinsic:(\d+)@@"/)
    .map((part, index) => (index % 2 === 0 ? part : intrinsics[Number(part)]));
  // Each intrinsic stands where a JSON string was: keep its quotes around the value CloudFormation puts in.
  const joined = parts.flatMap((part, index) => (index % 2 === 0 ? [part] : ['"', part, '"']));
  return { 'Fn::Join': ['', joined.filter((part) => part !== '')] };
}
