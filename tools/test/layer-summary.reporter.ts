import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

interface LayerCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** The layer's files' time (set-up, import, tests) added up: its wall time when they run one at a time. */
  milliseconds: number;
}

interface CoverageSummary {
  getCoverageSummary(): { toJSON(): Record<'lines' | 'branches' | 'functions' | 'statements', { pct: number }> };
}

/**
 * What tools/test.sh prints of a Vitest run, whose own output goes to a log file: per project (layer), in the
 * directory UDAGRAM_TEST_RESULTS names, `<layer>.counts` ("passed failed skipped seconds") and, when tests failed,
 * `<layer>.failures.txt` with each failing test's name and errors; `coverage.txt` when coverage ran. Without that
 * variable (a run by hand) it writes nothing.
 */
export default class LayerSummaryReporter implements Reporter {
  private readonly directory = process.env.UDAGRAM_TEST_RESULTS;

  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly SerializedError[]): void {
    if (this.directory === undefined) return;
    mkdirSync(this.directory, { recursive: true });
    const counts = new Map<string, LayerCounts>();
    const failures = new Map<string, string[]>();
    for (const testModule of testModules) {
      const layer = testModule.project.name;
      const layerCounts = counts.get(layer) ?? { passed: 0, failed: 0, skipped: 0, milliseconds: 0 };
      counts.set(layer, layerCounts);
      const { prepareDuration, collectDuration, setupDuration, duration } = testModule.diagnostic();
      layerCounts.milliseconds += prepareDuration + collectDuration + setupDuration + duration;
      const file = path.relative(process.cwd(), testModule.moduleId);
      // A file that failed to load or whose hooks threw has errors of its own and may have no test results.
      const moduleErrors = testModule.errors();
      if (moduleErrors.length > 0) {
        layerCounts.failed += 1;
        failures.set(layer, [
          ...(failures.get(layer) ?? []),
          describeFailure(`${file} (the file itself)`, moduleErrors),
        ]);
      }
      for (const test of testModule.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') layerCounts.passed += 1;
        else if (result.state === 'failed') {
          layerCounts.failed += 1;
          failures.set(layer, [
            ...(failures.get(layer) ?? []),
            describeFailure(`${file} > ${test.fullName}`, result.errors ?? []),
          ]);
        } else layerCounts.skipped += 1;
      }
    }
    if (unhandledErrors.length > 0) {
      const layer = counts.keys().next().value ?? 'vitest';
      const layerCounts = counts.get(layer) ?? { passed: 0, failed: 0, skipped: 0, milliseconds: 0 };
      counts.set(layer, { ...layerCounts, failed: layerCounts.failed + unhandledErrors.length });
      failures.set(layer, [
        ...(failures.get(layer) ?? []),
        describeFailure('errors outside any test', unhandledErrors),
      ]);
    }
    for (const [layer, { passed, failed, skipped, milliseconds }] of counts) {
      const seconds = Math.round(milliseconds / 1000);
      writeFileSync(path.join(this.directory, `${layer}.counts`), `${passed} ${failed} ${skipped} ${seconds}\n`);
      const layerFailures = failures.get(layer);
      if (layerFailures !== undefined)
        writeFileSync(path.join(this.directory, `${layer}.failures.txt`), layerFailures.join('\n'));
    }
  }

  onCoverage(coverage: unknown): void {
    if (this.directory === undefined) return;
    mkdirSync(this.directory, { recursive: true });
    const summary = (coverage as CoverageSummary).getCoverageSummary().toJSON();
    const figures = (['lines', 'branches', 'functions', 'statements'] as const).map(
      (metric) => `${metric} ${summary[metric].pct}%`,
    );
    writeFileSync(path.join(this.directory, 'coverage.txt'), `${figures.join(', ')}\n`);
  }
}

function describeFailure(name: string, errors: readonly SerializedError[]): string {
  const details = errors.map((error) => {
    const stack = (error.stack ?? '')
      .split('\n')
      .filter((line) => line.trim().startsWith('at ') && !/node_modules|node:|<anonymous>/.test(line))
      .slice(0, 3);
    return [
      `    ${error.name ?? 'Error'}: ${error.message}`,
      ...(typeof error.diff === 'string' ? [indent(error.diff)] : []),
      ...stack.map((line) => `      ${line.trim()}`),
    ].join('\n');
  });
  return [`  ✗ ${name}`, ...details].join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}
