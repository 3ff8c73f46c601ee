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
export { CORRELATION_ID_HEADER, correlationIdFor, isCorrelationId } from './correlation-id.js';
export { CorrelationId, correlationScope, type CurrentInvocation } from './correlation-scope.middleware.js';
export { lambdaInvocations, type InvocationContext } from './lambda-invocation.js';
export { currentLogKeys, withLogKeys, type LogKeys } from './log-context.js';
export { closeLogFiles, fileSink, prettyLine, sinkFromEnvironment, type LogSink } from './log-sink.js';
export { redactSecrets } from './redact.js';
export { StructuredLogger } from './structured-logger.js';
