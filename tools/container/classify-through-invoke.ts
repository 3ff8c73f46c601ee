// The classifier container image, end to end: the LambdaEmulator runs it with podman as the function's runtime,
// and every fixture photo goes through @aws-sdk/client-lambda's InvokeCommand. Run by test-container.sh (from the
// repository root) after the image is built. Environment:
//   CLASSIFIER_IMAGE  the image (default localhost/udagram-classifier:dev); it carries its model and settings
//   FIXTURES_DIR      the photos (default ../shared/fixtures/images, from the repository root)
//   CONTAINER_TEST_STARTED_AT_MS  when the whole test began, for the total time (default: this process's start)
//   CONTAINER_TEST_VERBOSE=1      print the emulator's and the runtime's log lines as they come
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaEmulator } from '@dev/lambda-emulator';
import { CheckReport } from './check-report.js';
import { describeOutcome, invokeClassifier, type ClassifyEvent, type InvokeOutcome } from './classifier-invoker.js';
import { ContainerRuntime } from './container-runtime.js';
import { serveOnLoopback } from './loopback-file-server.js';
import { expectationFor, PHOTO_EXTENSIONS } from './photo-expectations.js';
import { waitUntilRemoved, waitUntilRunning } from './podman-containers.js';

const FUNCTION_NAME = 'classifier';
// The emulator checks no signature: these only let the SDK sign its requests, and are no AWS credentials.
const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const CONTAINER_GONE_TIMEOUT_MS = 15_000;
const CONTAINER_START_TIMEOUT_MS = 60_000;

interface RunConfig {
  repoRoot: string;
  image: string;
  fixturesDir: string;
  startedAtMs: number;
  verbose: boolean;
}

function readConfig(env: NodeJS.ProcessEnv): RunConfig {
  const repoRoot = process.cwd();
  const startedAtMs = Number(env.CONTAINER_TEST_STARTED_AT_MS ?? Date.now() - performance.now());
  return {
    repoRoot,
    image: env.CLASSIFIER_IMAGE ?? 'localhost/udagram-classifier:dev',
    fixturesDir: path.resolve(repoRoot, env.FIXTURES_DIR ?? '../shared/fixtures/images'),
    startedAtMs: Number.isFinite(startedAtMs) ? startedAtMs : Date.now(),
    verbose: env.CONTAINER_TEST_VERBOSE === '1',
  };
}

function classifiedAs(outcome: InvokeOutcome, photo: string): { ok: boolean; detail: string } {
  const expectation = expectationFor(photo);
  const ok = outcome.kind === 'classified' && expectation.matches(outcome.label);
  return {
    ok,
    detail: ok ? describeOutcome(outcome) : `expected ${expectation.description}, got ${describeOutcome(outcome)}`,
  };
}

async function makeWebp(jpegPath: string, outputDir: string): Promise<string> {
  const output = path.join(outputDir, `${path.basename(jpegPath, path.extname(jpegPath))}.webp`);
  await promisify(execFile)('cwebp', ['-quiet', '-q', '90', jpegPath, '-o', output]);
  return output;
}

async function main(): Promise<number> {
  const config = readConfig(process.env);
  const report = new CheckReport();
  const runId = `${process.pid}-${Date.now()}`;
  const label = `udagram.container-test=${runId}`;
  const runtime = new ContainerRuntime({
    image: config.image,
    label,
    namePrefix: `udagram-classifier-test-${runId}`,
    podmanEnv: process.env.CONTAINERS_CONF ? { CONTAINERS_CONF: process.env.CONTAINERS_CONF } : {},
    wrapperPath: path.join(config.repoRoot, 'tools/container/podman-runtime.sh'),
  });
  const runtimeLog: string[] = [];
  const emulator = new LambdaEmulator({
    functions: [
      // A container's start and model load can take seconds on a cold machine: more than Lambda's 10 s init.
      {
        name: FUNCTION_NAME,
        timeoutMs: 30_000,
        initTimeoutMs: 60_000,
        runtime: (runtimeApi) => runtime.command(runtimeApi),
      },
    ],
    log: (line) => {
      runtimeLog.push(line);
      if (config.verbose) process.stderr.write(`${line}\n`);
    },
  });
  await emulator.start();
  const client = new LambdaClient({
    endpoint: emulator.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: EMULATOR_CREDENTIALS,
    maxAttempts: 1,
  });
  const classify = (event: ClassifyEvent) => invokeClassifier(client, FUNCTION_NAME, event);
  const invocationsStarted = performance.now();
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'classifier-container-test-'));

  try {
    const photos = (await readdir(config.fixturesDir))
      .filter((file) => PHOTO_EXTENSIONS.includes(path.extname(file).toLowerCase()))
      .sort()
      .map((file) => path.join(config.fixturesDir, file));
    if (photos.length === 0) report.record('fixtures', false, `no photos in ${config.fixturesDir}`);

    for (const photo of photos) {
      await report.run(`${path.basename(photo)} (imageBase64)`, async () =>
        classifiedAs(await classify({ imageBase64: (await readFile(photo)).toString('base64') }), photo),
      );
    }

    const squirrel = path.join(config.fixturesDir, 'squirrel.jpg');
    await report.run('squirrel.webp, made from squirrel.jpg by cwebp (imageBase64)', async () => {
      const webp = await makeWebp(squirrel, scratchDir);
      return classifiedAs(await classify({ imageBase64: (await readFile(webp)).toString('base64') }), webp);
    });

    const camera = path.join(config.fixturesDir, 'camera.png');
    await report.run('camera.png (imageUrl on a loopback HTTP server)', async () => {
      const server = await serveOnLoopback('camera.png', await readFile(camera), 'image/png');
      try {
        return classifiedAs(await classify({ imageUrl: server.url }), camera);
      } finally {
        await server.close();
      }
    });

    await report.run('a text file (imageBase64)', async () => {
      const outcome = await classify({
        imageBase64: Buffer.from('Udagram: this is a text file, not a photo.\n').toString('base64'),
      });
      const ok = outcome.kind === 'function-error' && outcome.errorType === 'UndecodableImage';
      return {
        ok,
        detail: ok
          ? describeOutcome(outcome)
          : `expected function error UndecodableImage, got ${describeOutcome(outcome)}`,
      };
    });

    await report.run('the same runtime answers after the error', async () => {
      const runtimesBefore = runtime.names.length;
      const outcome = await classify({ imageBase64: (await readFile(squirrel)).toString('base64') });
      const { ok, detail } = classifiedAs(outcome, squirrel);
      const restarted = runtime.names.length !== runtimesBefore;
      return { ok: ok && !restarted, detail: restarted ? `a new runtime had to start; ${detail}` : detail };
    });

    await report.run('a crashed runtime leaves no container behind', async () => {
      const crashed = runtime.names.at(-1);
      emulator.injectFaults(FUNCTION_NAME, 'crash', 1);
      const outcome = await classify({ imageBase64: (await readFile(squirrel)).toString('base64') });
      if (outcome.kind !== 'function-error' || outcome.errorType !== 'Runtime.ExitError') {
        return { ok: false, detail: `expected Runtime.ExitError, got ${describeOutcome(outcome)}` };
      }
      const left = crashed ? await waitUntilRemoved(label, CONTAINER_GONE_TIMEOUT_MS, [crashed]) : [];
      return {
        ok: crashed !== undefined && left.length === 0,
        detail:
          left.length === 0
            ? `${outcome.errorType}; container ${crashed} removed`
            : `container ${left.join(', ')} still there`,
      };
    });

    // The classifier exits by itself once its Runtime API is gone, which would hide a wrapper that leaves
    // containers behind: a container that only sleeps shows it.
    await report.run('a SIGKILLed runtime process takes even an idle container with it', async () => {
      const idle = runtime.idleCommand(300);
      const wrapper = spawn(idle.command, idle.args ?? [], { env: { ...process.env, ...idle.env }, stdio: 'ignore' });
      try {
        if (!(await waitUntilRunning(label, idle.name, CONTAINER_START_TIMEOUT_MS))) {
          return { ok: false, detail: `container ${idle.name} did not start` };
        }
      } finally {
        wrapper.kill('SIGKILL');
      }
      const left = await waitUntilRemoved(label, CONTAINER_GONE_TIMEOUT_MS, [idle.name]);
      return {
        ok: left.length === 0,
        detail: left.length === 0 ? `container ${idle.name} removed` : `container ${idle.name} still there`,
      };
    });

    await report.run('a new runtime starts after the crash', async () => {
      const runtimesBefore = runtime.names.length;
      const { ok, detail } = classifiedAs(
        await classify({ imageBase64: (await readFile(squirrel)).toString('base64') }),
        squirrel,
      );
      const coldStart = runtime.names.length === runtimesBefore + 1;
      return { ok: ok && coldStart, detail: coldStart ? `cold start: ${detail}` : `no new runtime; ${detail}` };
    });
  } finally {
    await emulator.stop();
    client.destroy();
    await rm(scratchDir, { recursive: true, force: true });
  }

  await report.run('no container left after the emulator stopped', async () => {
    const left = await waitUntilRemoved(label, CONTAINER_GONE_TIMEOUT_MS);
    return {
      ok: left.length === 0,
      detail:
        left.length === 0 ? `${runtime.names.length + 1} containers started, none left` : `left: ${left.join(', ')}`,
    };
  });

  if (report.failures > 0 && !config.verbose) {
    process.stderr.write(`emulator and runtime log:\n${runtimeLog.map((line) => `  ${line}`).join('\n')}\n`);
  }
  const invocationsSeconds = (performance.now() - invocationsStarted) / 1000;
  const totalSeconds = (Date.now() - config.startedAtMs) / 1000;
  process.stdout.write(`invocations ${invocationsSeconds.toFixed(1)} s; total run time ${totalSeconds.toFixed(1)} s\n`);
  report.printSummary();
  return report.failures > 0 ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(
      `classify-through-invoke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
