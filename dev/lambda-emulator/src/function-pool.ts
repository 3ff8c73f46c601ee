import { randomUUID } from 'node:crypto';
import { functionArn } from './function-arn.js';
import { errorTypeOf, functionErrorResult, type Invocation, type InvocationResult } from './invocation.js';
import type { InjectedFault, LambdaFunctionDefinition } from './lambda-function-definition.js';
import { Sandbox } from './sandbox.js';

// After a runtime fails to start, the next start waits 250 ms, then 500 ms, … up to 8 s: a broken runtime does
// not spin, and a fixed one is picked up soon.
const RESTART_BACKOFF_BASE_MS = 250;
const RESTART_BACKOFF_CAP_MS = 8_000;

export type Submission =
  { throttled: true } | { throttled: false; requestId: string; result: Promise<InvocationResult> };

interface QueuedInvocation {
  invocation: Invocation;
  resolve(result: InvocationResult): void;
}

/**
 * The runtime processes of one function: up to `concurrency` sandboxes, started lazily when an invocation finds
 * none free, and a FIFO of invocations waiting for one.
 */
export class FunctionPool {
  readonly arn: string;
  private readonly log: (line: string) => void;
  private readonly sandboxes = new Set<Sandbox>();
  private readonly queue: QueuedInvocation[] = [];
  private readonly faults: InjectedFault[] = [];
  private failedStartsInARow = 0;
  private lastFailedStartAt = 0;
  private stopped = false;

  constructor(
    private readonly definition: LambdaFunctionDefinition,
    log: (line: string) => void,
    private readonly output?: (line: string) => void,
  ) {
    this.arn = functionArn(definition.name);
    this.log = (line) => log(`[${definition.name}] ${line}`);
  }

  injectFaults(fault: InjectedFault, count: number): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  /** Admits one invocation (or throttles it, when a throttle was injected) and queues it for a runtime. */
  submit(payload: Buffer): Submission {
    const fault = this.faults.shift();
    if (fault === 'throttle') {
      this.log('throttled an invocation (injected)');
      return { throttled: true };
    }
    const invocation: Invocation = { requestId: randomUUID(), payload, fault };
    const result = this.stopped
      ? Promise.resolve(stoppedResult(invocation))
      : new Promise<InvocationResult>((resolve) => this.queue.push({ invocation, resolve }));
    this.pump();
    return { throttled: false, requestId: invocation.requestId, result };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const { invocation, resolve } of this.queue.splice(0)) resolve(stoppedResult(invocation));
    await Promise.all([...this.sandboxes].map((sandbox) => sandbox.stop()));
  }

  /** Synchronous last resort when the host process exits without `stop()`. */
  killNow(): void {
    for (const sandbox of this.sandboxes) sandbox.killNow();
  }

  private pump(): void {
    while (!this.stopped && this.queue.length > 0) {
      const sandbox = this.availableSandbox() ?? this.newSandbox();
      if (!sandbox) return;
      const { invocation, resolve } = this.queue.shift()!;
      const startedAt = performance.now();
      void sandbox.invoke(invocation).then((result) => {
        this.report(invocation, result, performance.now() - startedAt);
        resolve(result);
        this.pump();
      });
    }
  }

  private availableSandbox(): Sandbox | undefined {
    for (const sandbox of this.sandboxes) if (sandbox.available) return sandbox;
    return undefined;
  }

  private newSandbox(): Sandbox | undefined {
    if (this.sandboxes.size >= (this.definition.concurrency ?? 1)) return undefined;
    const sandbox = new Sandbox({
      definition: this.definition,
      functionArn: this.arn,
      log: this.log,
      output: this.output,
      onInitialized: () => (this.failedStartsInARow = 0),
    });
    this.sandboxes.add(sandbox);
    void sandbox.exited.then(({ duringInit }) => {
      this.sandboxes.delete(sandbox);
      if (duringInit && !this.stopped) {
        this.failedStartsInARow++;
        this.lastFailedStartAt = Date.now();
      }
      this.pump();
    });
    const delayMs = this.restartDelayMs();
    if (delayMs > 0) {
      this.log(`runtime failed to start ${this.failedStartsInARow} time(s) in a row; next start in ${delayMs} ms`);
    }
    sandbox.start(delayMs);
    return sandbox;
  }

  private restartDelayMs(): number {
    if (this.failedStartsInARow === 0) return 0;
    const backoff = Math.min(RESTART_BACKOFF_BASE_MS * 2 ** (this.failedStartsInARow - 1), RESTART_BACKOFF_CAP_MS);
    return Math.max(0, this.lastFailedStartAt + backoff - Date.now());
  }

  private report(invocation: Invocation, result: InvocationResult, durationMs: number): void {
    const errorType = errorTypeOf(result);
    const outcome = errorType ? ` Error: ${errorType}` : '';
    this.log(`REPORT RequestId: ${invocation.requestId} Duration: ${durationMs.toFixed(2)} ms${outcome}`);
  }
}

function stoppedResult(invocation: Invocation): InvocationResult {
  return functionErrorResult('Runtime.ExitError', `RequestId: ${invocation.requestId} Error: the emulator stopped`);
}
