// Observability for every function: structured logs, the correlation id, metrics and traces (Powertools for AWS Lambda).
export { MetricsModule } from './metrics.module.js';
export { METRIC, METRICS_NAMESPACE, UdagramMetrics, type MetricName } from './udagram-metrics.js';
export {
  AWS_CLIENT_CAPTURE,
  inImageSubsegment,
  TracingModule,
  tracingEnabled,
  type AwsClientCapture,
  type ImageTraceIds,
} from './tracing.js';
