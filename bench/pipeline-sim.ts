/**
 * `npm run bench:pipeline-sim`: the seeded discrete-event simulation of the upload pipeline (tools/pipeline-sim) at
 * the design target — 1,000 uploads/s for an hour, and a 3× burst for 10 minutes on top of it — with the settings of
 * the stack as `osls package` writes it (offline), the service times of tools/pipeline-sim/service-times.ts and the
 * us-east-1 prices. Prints the queue depth per minute, p50/p99 upload→label, dead letters, throttles, cold starts,
 * concurrency and the cost per 1,000 images; exits 1 when a scenario does not hold, 2 when the template does not
 * declare the pipeline.
 *
 *   npm run bench:pipeline-sim                                  # package serverless.ts, both scenarios
 *   npm run bench:pipeline-sim -- --template dist/stack/cloudformation-template-update-stack.json
 *   npm run bench:pipeline-sim -- --contract-fixture            # the contract-shaped template of the tests
 *   SEED=7 SUSTAINED_MINUTES=10 SCENARIOS=sustained npm run bench:pipeline-sim
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageStackOffline, PLACEHOLDER_STACK_PARAMETERS } from '../tools/deploy/package-stack-offline.js';
import { contractTemplate } from '../tools/pipeline-sim/contract-template.js';
import { formatRun, formatSettings } from '../tools/pipeline-sim/format-report.js';
import { DEFAULT_ASSUMPTIONS } from '../tools/pipeline-sim/pipeline-simulation.js';
import {
  PipelineSettingsError,
  readPipelineSettings,
  type PackagedTemplate,
} from '../tools/pipeline-sim/pipeline-settings.js';
import { runScenario } from '../tools/pipeline-sim/run-scenario.js';
import { burstScenario, sustainedScenario, type Scenario } from '../tools/pipeline-sim/scenarios.js';
import { AWS_SERVICE_TIMES } from '../tools/pipeline-sim/service-times.js';

const { values: options } = parseArgs({
  options: { template: { type: 'string' }, 'contract-fixture': { type: 'boolean' } },
});
const seed = Number(process.env.SEED ?? 1);
const sustainedMinutes = Number(process.env.SUSTAINED_MINUTES ?? 60);
const wanted = new Set((process.env.SCENARIOS ?? 'sustained,burst').split(','));
if (!Number.isInteger(seed) || !(sustainedMinutes > 0))
  throw new Error('SEED must be an integer and SUSTAINED_MINUTES positive');

const { template, source } = await loadTemplate();
let settings;
try {
  settings = readPipelineSettings(template);
} catch (error) {
  if (!(error instanceof PipelineSettingsError)) throw error;
  console.error(`${source}\n${error.message}`);
  process.exit(2);
}

console.log(`Pipeline simulation, seed ${seed}; template: ${source}`);
for (const line of formatSettings(settings, DEFAULT_ASSUMPTIONS)) console.log(line);
console.log('Service times (tools/pipeline-sim/service-times.ts, per call; means in brackets):');
for (const [name, distribution] of Object.entries(AWS_SERVICE_TIMES)) {
  console.log(`  ${name}: ${distribution.description} [${distribution.meanMs.toFixed(0)} ms]`);
}

const scenarios: Scenario[] = [];
if (wanted.has('sustained')) scenarios.push(sustainedScenario({ measuredSeconds: sustainedMinutes * 60 }));
if (wanted.has('burst')) scenarios.push(burstScenario());
let failed = false;
for (const scenario of scenarios) {
  const run = runScenario(scenario, settings, { seed });
  for (const line of formatRun(scenario, run.result, run.cost, run.verdict, run.cpuSeconds)) console.log(line);
  failed ||= !run.verdict.holds;
}
process.exitCode = failed ? 1 : 0;

async function loadTemplate(): Promise<{ template: PackagedTemplate; source: string }> {
  if (options['contract-fixture']) {
    return {
      template: contractTemplate(),
      source: 'the contract-shaped FIXTURE (tools/pipeline-sim/contract-template.ts), not the stack',
    };
  }
  if (options.template) {
    return {
      template: JSON.parse(await readFile(options.template, 'utf8')) as PackagedTemplate,
      source: options.template,
    };
  }
  const outputDirectory = await mkdtemp(join(tmpdir(), 'udagram-pipeline-sim-'));
  try {
    const packaged = await packageStackOffline({
      outputDirectory,
      stage: 'ci',
      region: 'us-east-1',
      params: PLACEHOLDER_STACK_PARAMETERS,
    });
    return {
      template: packaged,
      source: 'serverless.ts, packaged offline (osls package --stage ci --region us-east-1)',
    };
  } finally {
    await rm(outputDirectory, { recursive: true, force: true });
  }
}
