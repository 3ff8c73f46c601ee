import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** Every metric of the application lives in this CloudWatch namespace (alarms and the dashboard read it). */
export const METRICS_NAMESPACE = 'Udagram';

/**
 * The application's metrics (docs/MONITORING.md). Each is written as one Embedded Metric Format line on stdout,
 * which CloudWatch Logs turns into a metric: no PutMetricData call, no latency, no extra permission. Dimensions are
 * the function's `service` and, where named, one low-cardinality value: never an image, group or user id.
 */
export const METRIC = {
  /** An image record created by the API (POST /groups/{groupId}/images). */
  imageCreated: 'ImageCreated',
  /** An image labelled by the classification worker. */
  imageLabelled: 'ImageLabelled',
  /** An image marked FAILED, by `errorType` (ModelError, DownloadFailed, ClassifierUnavailable…). */
  imageFailed: 'ImageFailed',
  /** From the upload's arrival in the classification queue to the label written (ms); the p95 is alarmed. */
  uploadToLabelLatency: 'UploadToLabelLatency',
  /** The classifier's own timings of one photo (ms), from its response. */
  classifierDownloadTime: 'ClassifierDownloadTime',
  classifierDecodeTime: 'ClassifierDecodeTime',
  classifierInferenceTime: 'ClassifierInferenceTime',
  /** One classifier invocation as the worker waited for it (ms), network and queueing included. */
  classifierDuration: 'ClassifierDuration',
  /** A message the worker gave up on, on its last delivery: it goes to the dead-letter queue, by `queue`. */
  deadLetter: 'DeadLetter',
  /** WebSocket notifications posted, and connections found gone (410) while posting. */
  notificationsSent: 'NotificationsSent',
  notificationsGone: 'NotificationsGone',
  /** A new instance of a function (a cold start), by `service`. */
  coldStart: 'ColdStart',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The dimensions a metric may carry besides `service`: fixed, short vocabularies only. */
export type MetricDimension = 'errorType' | 'queue';

/** Whether to write metrics, and as which service. */
export interface MetricsSettings {
  service: string;
  enabled: boolean;
}

/**
 * In Lambda (AWS_LAMBDA_FUNCTION_NAME is set) metrics are on unless POWERTOOLS_METRICS_DISABLED says otherwise;
 * elsewhere (`npm start`, tests) they are off unless POWERTOOLS_METRICS_DISABLED=false, since nothing there reads
 * EMF and the lines would only crowd the output.
 */
export function metricsSettingsFromEnvironment(
  environment: NodeJS.ProcessEnv,
  defaultService: string,
): MetricsSettings {
  const disabled = environment.POWERTOOLS_METRICS_DISABLED?.toLowerCase();
  const enabled =
    disabled === undefined
      ? environment.AWS_LAMBDA_FUNCTION_NAME !== undefined
      : disabled === 'false' || disabled === '0';
  return { service: environment.POWERTOOLS_SERVICE_NAME || defaultService, enabled };
}

/**
 * Writes the application's metrics. Every call writes its line at once, so no handler has to flush a buffer, and a
 * batch's partial failure still reports what happened before it. A call adds and publishes without awaiting, so
 * concurrent work in one invocation (ten photos of a batch) cannot mix its dimensions into another's line.
 */
export class UdagramMetrics {
  private readonly metrics: Metrics;

  constructor(private readonly settings: MetricsSettings) {
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: settings.service });
  }

  get service(): string {
    return this.settings.service;
  }

  imageCreated(): void {
    this.count(METRIC.imageCreated);
  }

  /** A label written; `uploadToLabelMs` when the message was an upload (not a re-classification request). */
  imageLabelled(uploadToLabelMs?: number): void {
    this.count(METRIC.imageLabelled);
    if (uploadToLabelMs !== undefined && uploadToLabelMs >= 0) {
      this.write([[METRIC.uploadToLabelLatency, MetricUnit.Milliseconds, uploadToLabelMs]]);
    }
  }

  imageFailed(errorType: string): void {
    this.count(METRIC.imageFailed, { errorType });
  }

  /** One classification's timings: the classifier's own (download, decode, inference) and the worker's wait. */
  classifierTimings(
    timings: { downloadMs: number; decodeMs: number; inferenceMs: number },
    invocationMs: number,
  ): void {
    this.write([
      [METRIC.classifierDownloadTime, MetricUnit.Milliseconds, timings.downloadMs],
      [METRIC.classifierDecodeTime, MetricUnit.Milliseconds, timings.decodeMs],
      [METRIC.classifierInferenceTime, MetricUnit.Milliseconds, timings.inferenceMs],
      [METRIC.classifierDuration, MetricUnit.Milliseconds, invocationMs],
    ]);
  }

  deadLetter(queue: 'classification'): void {
    this.count(METRIC.deadLetter, { queue });
  }

  notifications(report: { sent: number; gone: number }): void {
    if (report.sent + report.gone === 0) return;
    this.write([
      [METRIC.notificationsSent, MetricUnit.Count, report.sent],
      [METRIC.notificationsGone, MetricUnit.Count, report.gone],
    ]);
  }

  coldStart(): void {
    this.count(METRIC.coldStart);
  }

  private count(name: MetricName, dimensions?: Partial<Record<MetricDimension, string>>): void {
    this.write([[name, MetricUnit.Count, 1]], dimensions);
  }

  /** One EMF line: the metrics under the `service` dimension, or under `service` and `dimensions`. */
  private write(values: [MetricName, Unit, number][], dimensions?: Partial<Record<MetricDimension, string>>): void {
    if (!this.settings.enabled) return;
    if (dimensions !== undefined) this.metrics.addDimensions(dimensions as Record<string, string>);
    for (const [name, unit, value] of values) this.metrics.addMetric(name, unit, value);
    this.metrics.publishStoredMetrics();
  }
}
