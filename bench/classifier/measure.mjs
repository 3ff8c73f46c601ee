// Runs one side's processes: a warm bench process (one JSON line out) or one cold start through the Runtime API stub.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';

const WARM_PROCESS_TIMEOUT_MS = 10 * 60_000;
const COLD_START_TIMEOUT_MS = 60_000;

/** Runs a classify-bench-like process to its end and returns the JSON line it printed. */
export async function runWarmBench(command, args, env) {
  const child = spawn(command[0], [...command.slice(1), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: WARM_PROCESS_TIMEOUT_MS,
  });
  const [stdout, stderr] = [collect(child.stdout), collect(child.stderr)];
  const [code, signal] = await once(child, 'close');
  if (code !== 0) throw new Error(`${command.join(' ')} failed (${signal ?? `exit ${code}`}):\n${lastLines(stderr())}`);
  return JSON.parse(stdout().trim().split('\n').at(-1));
}

/**
 * Starts a fresh custom-runtime process and times spawn → its first response posted to the stub, then stops it.
 * Returns the time and the parsed response.
 */
export async function measureColdStart(command, env, runtimeApi, event) {
  const answered = runtimeApi.invoke(event);
  const startedAt = performance.now();
  const child = spawn(command[0], command.slice(1), {
    env: { ...env, AWS_LAMBDA_RUNTIME_API: runtimeApi.address },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = collect(child.stderr);
  const exited = once(child, 'exit');
  const endedFirst = exited.then(([code, signal]) => {
    const outcome = signal ?? `exit ${code}`;
    throw new Error(`${command.join(' ')} ended (${outcome}) before answering:\n${lastLines(stderr())}`);
  });
  endedFirst.catch(() => {}); // it also rejects when the process is stopped after answering
  let timer;
  try {
    const { respondedAt, body } = await Promise.race([
      answered,
      endedFirst,
      new Promise((_, reject) => {
        const timedOut = () => reject(new Error(`${command.join(' ')} gave no answer in ${COLD_START_TIMEOUT_MS} ms`));
        timer = setTimeout(timedOut, COLD_START_TIMEOUT_MS);
      }),
    ]);
    return { coldStartMs: respondedAt - startedAt, response: JSON.parse(body) };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
}

function collect(stream) {
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

function lastLines(text) {
  return text.trim().split('\n').slice(-20).join('\n');
}
