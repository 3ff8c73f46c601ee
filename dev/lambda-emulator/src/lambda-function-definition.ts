/** How to start one runtime process of a function; `runtimeApi` is the `host:port` of its own Runtime API. */
export interface RuntimeCommand {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface LambdaFunctionDefinition {
  name: string;
  /** Per invocation, counted from the moment the runtime receives the event; past it → `Sandbox.Timedout`. */
  timeoutMs: number;
  /** Runtime processes in the pool (default 1); each handles one invocation at a time. */
  concurrency?: number;
  /** Time a runtime gets from its start to its first `/invocation/next` (default 10 s, Lambda's init limit). */
  initTimeoutMs?: number;
  runtime: (runtimeApi: string) => RuntimeCommand;
}

/**
 * What an injected fault does to one invocation (faults are drawn in order, one per invocation, at admission):
 * - `crash`: the runtime process gets SIGKILL as the event is handed to it → `Runtime.ExitError` (signal: killed).
 * - `timeout`: the invocation times out as the event is handed over, without waiting `timeoutMs`: the process is
 *   killed and the answer is `Sandbox.Timedout`, exactly as for a real timeout.
 * - `throttle`: 429 `TooManyRequestsException`; nothing runs.
 * Crash and timeout are followed by a fresh runtime (a cold start) for the next invocation.
 */
export type InjectedFault = 'crash' | 'timeout' | 'throttle';
