import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRIC, METRICS_NAMESPACE, metricsSettingsFromEnvironment, UdagramMetrics } from './udagram-metrics.js';

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** The lines written to stdout while `act` runs, each parsed as JSON (a line that is not JSON fails the test). */
function emfLinesOf(act: () => void): EmfLine[] {
  const written: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EmfLine);
}

/** The metric names a line declares, and the values it carries for them. */
function metricsOf(line: EmfLine): Record<string, unknown> {
  const [directive] = line._aws.CloudWatchMetrics;
  return Object.fromEntries(directive!.Metrics.map(({ Name }) => [Name, line[Name]]));
}

describe('UdagramMetrics', () => {
  const metrics = new UdagramMetrics({ service: 'classification-worker', enabled: true });

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-05T00:00:00Z'), toFake: ['Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes each count as one Embedded Metric Format line in the Udagram namespace under the service dimension', () => {
    const [line, ...others] = emfLinesOf(() => metrics.imageCreated());

    expect(others).toEqual([]);
    expect(line).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-12-05T00:00:00Z'),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [['service']],
            Metrics: [{ Name: 'ImageCreated', Unit: 'Count' }],
          },
        ],
      },
      service: 'classification-worker',
      ImageCreated: 1,
    });
  });

  it('counts a failure under service and errorType, never under an image id', () => {
    const [line] = emfLinesOf(() => metrics.imageFailed('ModelError'));

    expect(line!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'errorType']]);
    expect(line).toMatchObject({ service: 'classification-worker', errorType: 'ModelError', ImageFailed: 1 });
    expect(Object.keys(line!)).not.toContain('imageId');
  });

  it('writes the label with its upload → label latency, and no latency for a re-classification', () => {
    const [labelled, latency] = emfLinesOf(() => metrics.imageLabelled(1234));
    const reclassified = emfLinesOf(() => metrics.imageLabelled());

    expect(metricsOf(labelled!)).toEqual({ ImageLabelled: 1 });
    expect(metricsOf(latency!)).toEqual({ UploadToLabelLatency: 1234 });
    expect(latency!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'UploadToLabelLatency', Unit: 'Milliseconds' },
    ]);
    expect(reclassified.map(metricsOf)).toEqual([{ ImageLabelled: 1 }]);
  });

  it('writes the classifier’s timings and the worker’s wait together, in milliseconds', () => {
    const [line] = emfLinesOf(() =>
      metrics.classifierTimings({ downloadMs: 3.5, decodeMs: 1.2, inferenceMs: 20.4 }, 61),
    );

    expect(metricsOf(line!)).toEqual({
      ClassifierDownloadTime: 3.5,
      ClassifierDecodeTime: 1.2,
      ClassifierInferenceTime: 20.4,
      ClassifierDuration: 61,
    });
    expect(new Set(line!._aws.CloudWatchMetrics[0]!.Metrics.map(({ Unit }) => Unit))).toEqual(
      new Set(['Milliseconds']),
    );
  });

  it('counts dead letters by queue, notifications sent and gone, and cold starts', () => {
    const lines = emfLinesOf(() => {
      metrics.deadLetter('classification');
      metrics.notifications({ sent: 3, gone: 1 });
      metrics.notifications({ sent: 0, gone: 0 });
      metrics.coldStart();
    });

    expect(lines.map(metricsOf)).toEqual([
      { DeadLetter: 1 },
      { NotificationsSent: 3, NotificationsGone: 1 },
      { ColdStart: 1 },
    ]);
    expect(lines[0]).toMatchObject({ queue: 'classification' });
    // The queue dimension belongs to that line only.
    expect(lines[1]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
  });

  it('names only documented metrics: every line in one run of all the methods', () => {
    const lines = emfLinesOf(() => {
      metrics.imageCreated();
      metrics.imageLabelled(10);
      metrics.imageFailed('DownloadFailed');
      metrics.classifierTimings({ downloadMs: 1, decodeMs: 1, inferenceMs: 1 }, 5);
      metrics.deadLetter('classification');
      metrics.notifications({ sent: 1, gone: 0 });
      metrics.coldStart();
    });
    const named = new Set(lines.flatMap((line) => Object.keys(metricsOf(line))));

    expect(named).toEqual(new Set(Object.values(METRIC)));
    for (const line of lines) expect(line._aws.CloudWatchMetrics[0]!.Namespace).toBe('Udagram');
  });

  it('writes nothing when metrics are off', () => {
    const off = new UdagramMetrics({ service: 'udagram-api', enabled: false });

    expect(
      emfLinesOf(() => {
        off.imageCreated();
        off.coldStart();
      }),
    ).toEqual([]);
  });
});

describe('the metrics’ documentation', () => {
  it('lists every metric the code writes in docs/MONITORING.md', () => {
    const documentation = readFileSync(new URL('../../../docs/MONITORING.md', import.meta.url), 'utf8');

    for (const name of Object.values(METRIC)) expect(documentation, name).toContain(`\`${name}\``);
    expect(documentation).toContain(`namespace **\`${METRICS_NAMESPACE}\`**`);
  });
});

describe('metricsSettingsFromEnvironment', () => {
  it('turns metrics on in Lambda and off elsewhere, unless POWERTOOLS_METRICS_DISABLED says otherwise', () => {
    expect(metricsSettingsFromEnvironment({ AWS_LAMBDA_FUNCTION_NAME: 'udagram-dev-api' }, 'udagram')).toEqual({
      service: 'udagram',
      enabled: true,
    });
    expect(metricsSettingsFromEnvironment({}, 'udagram').enabled).toBe(false);
    expect(metricsSettingsFromEnvironment({ POWERTOOLS_METRICS_DISABLED: 'false' }, 'udagram').enabled).toBe(true);
    expect(
      metricsSettingsFromEnvironment({ AWS_LAMBDA_FUNCTION_NAME: 'f', POWERTOOLS_METRICS_DISABLED: 'true' }, 'udagram')
        .enabled,
    ).toBe(false);
  });

  it('names the service after POWERTOOLS_SERVICE_NAME when it is set', () => {
    expect(metricsSettingsFromEnvironment({ POWERTOOLS_SERVICE_NAME: 'notifier' }, 'udagram').service).toBe('notifier');
  });
});
