import { costPerThousandUploads } from './pipeline-cost.js';
import {
  accountProblems,
  DEFAULT_ASSUMPTIONS,
  PipelineSimulation,
  type SimulationAssumptions,
} from './pipeline-simulation.js';
import type { PipelineSettings } from './pipeline-settings.js';
import type { Scenario } from './scenarios.js';
import type { ServiceTimeModel } from './service-times.js';
import { AWS_SERVICE_TIMES } from './service-times.js';
import type { SimulationResult } from './simulation-metrics.js';
import { judge, type Verdict } from './verdict.js';

export interface ScenarioRun {
  result: SimulationResult;
  verdict: Verdict;
  cost: ReturnType<typeof costPerThousandUploads>;
  cpuSeconds: number;
}

/** Simulates one scenario against the settings, and judges and prices it. */
export function runScenario(
  scenario: Scenario,
  settings: PipelineSettings,
  options: { seed?: number; serviceTimes?: ServiceTimeModel; assumptions?: Partial<SimulationAssumptions> } = {},
): ScenarioRun {
  const started = process.cpuUsage();
  const assumptions = { ...DEFAULT_ASSUMPTIONS, ...options.assumptions };
  const result = new PipelineSimulation({
    settings,
    traffic: scenario.traffic,
    seed: options.seed ?? 1,
    serviceTimes: options.serviceTimes ?? AWS_SERVICE_TIMES,
    assumptions,
  }).run();
  const used = process.cpuUsage(started);
  return {
    result,
    verdict: judge(scenario, result, accountProblems(settings, assumptions)),
    cost: costPerThousandUploads(result, settings),
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}
