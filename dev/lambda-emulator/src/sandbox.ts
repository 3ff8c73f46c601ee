import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { functionErrorResult, type Invocation, type InvocationResult } from './invocation.js';
import type { LambdaFunctionDefinition, RuntimeCommand } from './lambda-function-definition.js';
import { RuntimeApi } from './runtime-api.js';

const DEFAULT_INIT_TIMEOUT_MS = 10_000;

// Exit signals in the words Lambda uses (Go's), as in "Runtime exited with error: signal: killed".
const SIGNAL_WORDS: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
};

export interface SandboxOptions {
  definition: LambdaFunctionDefinition;
  functionArn: string;
  /** Receives the runtime's output and the sandbox's own events, one line at a time. */
  log: (line: string) => void;
  /** Receives the runtime process's own stdout and stderr lines, when they go elsewhere than `log`. */
  output?: (line: string) => void;
  /** The runtime asked for its first event. */
  onInitialized: () => void;
}

export interface SandboxExit {
  /** The runtime never got as far as asking for an event (failed, exited or hung during init). */
  duringInit: boolean;
}

type SandboxState = 'waiting' | 'starting' | 'running' | 'finished';

/** One runtime process with its own Runtime API, handling one invocation at a time, and killed on any timeout. */
export class Sandbox {
  readonly exited: Promise<SandboxExit>;
  private readonly runtimeApi: RuntimeApi;
  private resolveExited!: (exit: SandboxExit) => void;
  private state: SandboxState = 'waiting';
  private child?: ChildProcess;
  private initialized = false;
  private doomed = false;
  private startTimer?: NodeJS.Timeout;
  private initTimer?: NodeJS.Timeout;
  private invocationTimer?: NodeJS.Timeout;

  constructor(private readonly options: SandboxOptions) {
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.runtimeApi = new RuntimeApi(options.functionArn, options.definition.timeoutMs, {
      initialized: () => this.onInitialized(),
      delivered: (invocation) => this.onDelivered(invocation),
      initFailed: () => this.kill('it reported an init error'),
    });
  }

  /** Free for an invocation: alive (or about to start) and idle. */
  get available(): boolean {
    return !this.doomed && this.runtimeApi.current === undefined;
  }

  /** Starts the runtime process after `delayMs` (a back-off after failed starts). */
  start(delayMs: number): void {
    if (delayMs > 0) this.startTimer = setTimeout(() => void this.spawnRuntime(), delayMs);
    else void this.spawnRuntime();
  }

  async invoke(invocation: Invocation): Promise<InvocationResult> {
    const result = await this.runtimeApi.assign(invocation);
    clearTimeout(this.invocationTimer);
    return result;
  }

  /** Ends the sandbox (SIGKILL to a running runtime); resolves once the process is gone and the Runtime API closed. */
  stop(): Promise<SandboxExit> {
    this.kill('the emulator is stopping');
    return this.exited;
  }

  /** Synchronous last resort when the host process exits without `stop()`. */
  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  private async spawnRuntime(): Promise<void> {
    this.state = 'starting';
    let runtimeApiAddress: string;
    try {
      runtimeApiAddress = await this.runtimeApi.listen();
    } catch (error) {
      return this.finish((requestId) =>
        functionErrorResult('Runtime.Unknown', `RequestId: ${requestId} Error: ${String(error)}`),
      );
    }
    if (this.doomed) return this.finish(stoppedBeforeStart);

    const { definition } = this.options;
    let command: RuntimeCommand;
    let child: ChildProcess;
    try {
      command = definition.runtime(runtimeApiAddress);
      child = spawn(command.command, command.args ?? [], {
        cwd: command.cwd,
        // A clean environment, as in Lambda: no host credentials leak into the runtime.
        env: {
          PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
          AWS_LAMBDA_RUNTIME_API: runtimeApiAddress,
          AWS_LAMBDA_FUNCTION_NAME: definition.name,
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          ...command.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      return this.failToStart(String(error));
    }
    this.child = child;
    this.state = 'running';
    this.pipeLines(child.stdout);
    this.pipeLines(child.stderr);
    child.once('error', (error) => {
      // Only a failed spawn matters here; a running child reports through 'exit'.
      if (child.pid === undefined) this.failToStart(`${command.command}: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      if (child.pid !== undefined) this.onExit(child.pid, code, signal);
    });
    const initTimeoutMs = definition.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
    this.initTimer = setTimeout(() => this.onInitTimeout(initTimeoutMs), initTimeoutMs);
  }

  private failToStart(reason: string): void {
    this.options.log(`cannot start the runtime: ${reason}`);
    this.finish((requestId) =>
      functionErrorResult('Runtime.InvalidEntrypoint', `RequestId: ${requestId} Error: ${reason}`),
    );
  }

  private onInitialized(): void {
    this.initialized = true;
    clearTimeout(this.initTimer);
    this.options.onInitialized();
  }

  private onDelivered(invocation: Invocation): void {
    if (invocation.fault === 'crash') return this.kill('of an injected crash');
    if (invocation.fault === 'timeout') return this.timeOut(invocation.requestId);
    this.invocationTimer = setTimeout(() => this.timeOut(invocation.requestId), this.options.definition.timeoutMs);
  }

  private timeOut(requestId: string): void {
    const seconds = (this.options.definition.timeoutMs / 1000).toFixed(2);
    this.runtimeApi.settle(
      functionErrorResult('Sandbox.Timedout', `${requestId} Task timed out after ${seconds} seconds`),
    );
    this.kill(`invocation ${requestId} timed out`);
  }

  private onInitTimeout(initTimeoutMs: number): void {
    const seconds = (initTimeoutMs / 1000).toFixed(2);
    const current = this.runtimeApi.current;
    if (current) {
      this.runtimeApi.settle(
        functionErrorResult('Sandbox.Timedout', `${current.requestId} Init timed out after ${seconds} seconds`),
      );
    }
    this.kill(`it did not ask for an event within ${seconds} s of its start`);
  }

  private kill(reason: string): void {
    if (this.doomed) return;
    this.doomed = true;
    switch (this.state) {
      case 'waiting':
        clearTimeout(this.startTimer);
        return this.finish(stoppedBeforeStart);
      case 'running':
        this.options.log(`killing runtime ${this.child?.pid} because ${reason}`);
        this.child?.kill('SIGKILL');
        return;
      case 'starting': // checks `doomed` once listening
      case 'finished': // nothing left to end
        return;
    }
  }

  private onExit(pid: number, code: number | null, signal: NodeJS.Signals | null): void {
    const status = signal ? `signal: ${SIGNAL_WORDS[signal] ?? signal}` : `exit status ${code}`;
    this.options.log(`runtime ${pid} exited (${status})${this.initialized ? '' : ' during init'}`);
    this.finish((requestId) =>
      functionErrorResult('Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited with error: ${status}`),
    );
  }

  /** Answers a still pending invocation with `answer`, closes the Runtime API, and resolves `exited`. */
  private finish(answer: (requestId: string) => InvocationResult): void {
    if (this.state === 'finished') return;
    this.state = 'finished';
    this.doomed = true;
    clearTimeout(this.initTimer);
    clearTimeout(this.invocationTimer);
    const current = this.runtimeApi.current;
    if (current) this.runtimeApi.settle(answer(current.requestId));
    void this.runtimeApi.close().then(() => this.resolveExited({ duringInit: !this.initialized }));
  }

  private pipeLines(stream: Readable | null): void {
    const output = this.options.output ?? this.options.log;
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', output);
  }
}

function stoppedBeforeStart(requestId: string): InvocationResult {
  return functionErrorResult('Runtime.ExitError', `RequestId: ${requestId} Error: Runtime stopped before it started`);
}
