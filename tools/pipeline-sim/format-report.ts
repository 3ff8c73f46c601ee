import type { CostLine } from './pipeline-cost.js';
import type { PipelineSettings, QueueConsumerSettings } from './pipeline-settings.js';
import type { SimulationAssumptions } from './pipeline-simulation.js';
import type { Scenario } from './scenarios.js';
import type { SimulationResult } from './simulation-metrics.js';
import { formatSeconds, type Verdict } from './verdict.js';

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled to the largest (a flat line of ▁ when all are zero). */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((value) =>
      max === 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.floor((value / max) * (BARS.length - 1) + 0.5))],
    )
    .join('');
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

export function formatSettings(settings: PipelineSettings, assumptions: SimulationAssumptions): string[] {
  const consumer = (name: string, c: QueueConsumerSettings) =>
    `  ${name}: batch ${c.batchSize}, window ${c.maximumBatchingWindowSeconds} s, MaximumConcurrency ${c.maximumConcurrency}, ` +
    `${c.reportBatchItemFailures ? 'ReportBatchItemFailures' : 'whole-batch failures'}, VisibilityTimeout ${c.visibilityTimeoutSeconds} s, ` +
    `maxReceiveCount ${c.maxReceiveCount}; ${c.worker.logicalId} ${c.worker.memoryMb} MB ${c.worker.architecture}, timeout ${c.worker.timeoutSeconds} s, ` +
    `reserved ${c.worker.reservedConcurrency ?? 'none'}`;
  const { classifier, classifierRetry: retry } = settings;
  return [
    'Settings read from the template:',
    consumer(settings.classification.queueLogicalId, settings.classification),
    consumer(settings.thumbnails.queueLogicalId, settings.thumbnails),
    `  ${classifier.logicalId}: ${classifier.memoryMb} MB ${classifier.architecture}, timeout ${classifier.timeoutSeconds} s, reserved ${classifier.reservedConcurrency ?? 'none'}`,
    `  worker → classifier: ${retry.maxAttempts} attempts, back-off base ${retry.baseDelayMs} ms cap ${retry.maxDelayMs} ms (full jitter), ${retry.attemptTimeoutMs} ms per attempt`,
    `  assumed: account concurrency ${count(assumptions.accountConcurrency)} (raised quota) of which other functions hold ${count(assumptions.otherFunctionsConcurrency)}; ` +
      `pollers start at ${assumptions.pollerScaling.initialConcurrency} and add up to ${assumptions.pollerScaling.scaleUpPerMinute}/min; records of a batch run in parallel; ` +
      `idle sandboxes kept ${assumptions.idleSandboxLifetimeSeconds / 60} min`,
  ];
}

export function formatRun(
  scenario: Scenario,
  result: SimulationResult,
  cost: { lines: CostLine[]; total: number },
  verdict: Verdict,
  cpuSeconds: number,
): string[] {
  const minutes = result.minutes;
  const lines = [
    '',
    `== ${scenario.name} (after a ${scenario.rampSeconds} s ramp from zero; ${count(result.uploads)} uploads; ${formatSeconds(result.simulatedSeconds)} simulated in ${cpuSeconds.toFixed(1)} s)`,
    `queue depth (ClassificationQueue, visible, max per minute; peak ${count(Math.max(0, ...minutes.map((m) => m.visibleMax)))}):`,
    `  ${sparkline(minutes.map((m) => m.visibleMax))}`,
    '  minute  uploads/s  visible max  in flight  worker conc  classifier conc  throttles',
  ];
  for (const m of minutes) {
    if (m.minute % 5 !== 4 && m.minute !== minutes.length - 1) continue;
    lines.push(
      `  ${String(m.minute + 1).padStart(6)}  ${count(m.uploads / 60).padStart(9)}  ${count(m.visibleMax).padStart(11)}  ${count(m.inFlightAtEnd).padStart(9)}  ` +
        `${count(m.workerConcurrencyPeak).padStart(11)}  ${count(m.classifierConcurrencyPeak).padStart(15)}  ${count(m.classifierThrottles).padStart(9)}`,
    );
  }
  const c = result.classification;
  const t = result.thumbnails;
  const k = result.classifier;
  lines.push(
    `upload→label (measured uploads): p50 ${formatSeconds(result.latency.p50Seconds)}, p99 ${formatSeconds(result.latency.p99Seconds)}, ` +
      `mean ${formatSeconds(result.latency.meanSeconds)}, max ${formatSeconds(result.latency.maxSeconds)}; unlabelled at the end ${count(result.measuredUnlabelled)}`,
    `backlog trend ${result.backlogGrowthPerSecond >= 0 ? '+' : ''}${result.backlogGrowthPerSecond.toFixed(2)} messages/s; ` +
      `dead letters: classification ${count(c.deadLetters)}, thumbnails ${count(t.deadLetters)}; redeliveries ${count(c.redeliveries)}`,
    `classifier: ${count(k.invocations)} invocations, ${count(k.coldStarts)} cold starts, ${count(k.throttles)} throttles (429), ` +
      `${count(k.retriesSpent)} records back to the queue after all retries, peak concurrency ${count(k.peakConcurrency)}`,
    `classification worker: ${count(c.workerInvocations)} invocations (${(result.uploads / Math.max(1, c.workerInvocations)).toFixed(1)} records each), ` +
      `${count(c.workerColdStarts)} cold starts, ${count(c.workerTimeouts)} timeouts, peak concurrency ${count(c.workerPeakConcurrency)}`,
    `thumbnail worker: ${count(t.workerInvocations)} invocations, ${count(t.workerColdStarts)} cold starts, ${count(t.workerTimeouts)} timeouts, ` +
      `peak concurrency ${count(t.workerPeakConcurrency)}, peak queue ${count(Math.max(0, ...minutes.map((m) => m.thumbnailVisibleMax)))}`,
    `cost per 1,000 images (us-east-1): $${cost.total.toFixed(4)} (≈ $${((cost.total * result.meanMeasuredRate * 3_600) / 1_000).toFixed(2)} an hour at ` +
      `${count(result.meanMeasuredRate)}/s) = ${cost.lines.map((line) => `${line.item} $${line.dollars.toFixed(6)}`).join('; ')}`,
    verdict.holds ? 'verdict: HOLDS' : `verdict: DOES NOT HOLD — ${verdict.reasons.join('; ')}`,
  );
  return lines;
}
