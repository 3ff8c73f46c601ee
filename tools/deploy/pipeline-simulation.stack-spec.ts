import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTemplate, CONTRACT_FIXTURE_SETTINGS } from '../pipeline-sim/contract-template.js';
import { readPipelineSettings, type PackagedTemplate } from '../pipeline-sim/pipeline-settings.js';
import { runScenario } from '../pipeline-sim/run-scenario.js';
import { sustainedScenario } from '../pipeline-sim/scenarios.js';
import { packageStackOffline, PLACEHOLDER_STACK_PARAMETERS } from './package-stack-offline.js';

/**
 * The pipeline simulation (npm run bench:pipeline-sim) on short windows: 1,000 uploads/s for 2 minutes after a
 * 1-minute ramp, a few seconds of CPU each. With a template's settings the target must hold; with the classification
 * mapping's MaximumConcurrency halved in the template, the simulation must report a growing backlog.
 * Twice: on a template of the pipeline contract's shape (the worked sizing in contract-template.ts), and on the
 * stack as `osls package` writes it — which fails, naming what is missing, until serverless.ts declares the queues.
 */
const SHORT_TARGET = sustainedScenario({ measuredSeconds: 120, rampSeconds: 60 });
const SIMULATION_TIMEOUT_MS = 120_000;

/** The same template with the classification mapping's MaximumConcurrency halved (rounded down, at least 2). */
function withHalvedMaximumConcurrency(template: PackagedTemplate): PackagedTemplate {
  const halved = structuredClone(template);
  const { mappingLogicalId } = readPipelineSettings(template).classification;
  const scaling = halved.Resources[mappingLogicalId]!.Properties!.ScalingConfig as { MaximumConcurrency: number };
  scaling.MaximumConcurrency = Math.max(2, Math.floor(Number(scaling.MaximumConcurrency) / 2));
  return halved;
}

function expectHolds(template: PackagedTemplate) {
  const { verdict, result } = runScenario(SHORT_TARGET, readPipelineSettings(template));
  expect(verdict.reasons).toEqual([]);
  expect(result.classification.deadLetters).toBe(0);
  expect(result.latency.p99Seconds).toBeLessThan(10);
}

function expectGrowingBacklog(template: PackagedTemplate) {
  const { verdict } = runScenario(SHORT_TARGET, readPipelineSettings(template));
  expect(verdict.holds).toBe(false);
  expect(verdict.reasons).toContainEqual(expect.stringMatching(/^growing backlog/));
}

describe('the pipeline simulation on a template of the contract’s shape', () => {
  it(
    'holds 1,000 uploads/s with p99 under 10 s and no dead letters',
    () => {
      expectHolds(contractTemplate());
    },
    SIMULATION_TIMEOUT_MS,
  );

  it(
    `reports a growing backlog with MaximumConcurrency halved (${CONTRACT_FIXTURE_SETTINGS.classification.maximumConcurrency} → ${Math.floor(CONTRACT_FIXTURE_SETTINGS.classification.maximumConcurrency / 2)})`,
    () => {
      expectGrowingBacklog(withHalvedMaximumConcurrency(contractTemplate()));
    },
    SIMULATION_TIMEOUT_MS,
  );
});

describe('the pipeline simulation on the packaged stack', () => {
  let outputDirectory: string;
  let template: PackagedTemplate;

  beforeAll(async () => {
    outputDirectory = await mkdtemp(join(tmpdir(), 'udagram-pipeline-sim-'));
    template = await packageStackOffline({
      outputDirectory,
      stage: 'ci',
      region: 'us-east-1',
      params: PLACEHOLDER_STACK_PARAMETERS,
    });
  }, 180_000);

  afterAll(async () => {
    await rm(outputDirectory, { recursive: true, force: true });
  });

  it('finds the queues, mappings, workers, classifier and retry settings the simulation reads', () => {
    // Throws PipelineSettingsError naming each missing resource or setting.
    const settings = readPipelineSettings(template);

    expect(settings.classification.queueLogicalId).toBe('ClassificationQueue');
  });

  it(
    'holds 1,000 uploads/s with p99 under 10 s and no dead letters',
    () => {
      expectHolds(template);
    },
    SIMULATION_TIMEOUT_MS,
  );

  it(
    'reports a growing backlog with the classification mapping’s MaximumConcurrency halved',
    () => {
      expectGrowingBacklog(withHalvedMaximumConcurrency(template));
    },
    SIMULATION_TIMEOUT_MS,
  );
});
