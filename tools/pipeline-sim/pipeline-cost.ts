import { US_EAST_1_PRICES } from './aws-prices.js';
import type { FunctionSettings, PipelineSettings } from './pipeline-settings.js';
import type { SimulationResult } from './simulation-metrics.js';

export interface CostLine {
  item: string;
  dollars: number;
}

/**
 * What the run cost, per 1,000 uploads: Lambda duration (GB-s at each function's memory and architecture, INIT
 * included) and requests for both workers and the classifier, and the SQS requests of both queues (send, receive,
 * delete). Pollers' empty long polls (a few per minute each) are left out.
 */
export function costPerThousandUploads(
  result: SimulationResult,
  settings: PipelineSettings,
): { lines: CostLine[]; total: number } {
  const compute = (fn: FunctionSettings, seconds: number) =>
    seconds * (fn.memoryMb / 1024) * US_EAST_1_PRICES.lambdaGbSecond[fn.architecture];
  const requests = (count: number) => count * US_EAST_1_PRICES.lambdaPerRequest;
  const lines: CostLine[] = [
    {
      item: 'classification worker: duration',
      dollars: compute(settings.classification.worker, result.classification.workerBilledSeconds),
    },
    { item: 'classification worker: requests', dollars: requests(result.classification.workerInvocations) },
    { item: 'classifier: duration', dollars: compute(settings.classifier, result.classifier.billedSeconds) },
    { item: 'classifier: requests', dollars: requests(result.classifier.invocations) },
    {
      item: 'thumbnail worker: duration',
      dollars: compute(settings.thumbnails.worker, result.thumbnails.workerBilledSeconds),
    },
    { item: 'thumbnail worker: requests', dollars: requests(result.thumbnails.workerInvocations) },
    {
      item: 'SQS requests (both queues)',
      dollars: (result.classification.queueRequests + result.thumbnails.queueRequests) * US_EAST_1_PRICES.sqsPerRequest,
    },
  ];
  const perThousand = (dollars: number) => (result.uploads === 0 ? 0 : (dollars / result.uploads) * 1_000);
  const scaled = lines.map((line) => ({ item: line.item, dollars: perThousand(line.dollars) }));
  return { lines: scaled, total: scaled.reduce((sum, line) => sum + line.dollars, 0) };
}
