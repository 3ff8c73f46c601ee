import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FunctionPool } from './function-pool.js';
import { invokeApi } from './invoke-api.js';
import type { InjectedFault, LambdaFunctionDefinition } from './lambda-function-definition.js';

export interface LambdaEmulatorOptions {
  functions: LambdaFunctionDefinition[];
  /** Where the Invoke API listens (default 127.0.0.1, an ephemeral port). */
  host?: string;
  port?: number;
  /** Runtime output and emulator events, prefixed `[function-name]` (default: stderr). */
  log?: (line: string) => void;
  /** The runtime processes' own stdout and stderr, one line at a time (default: `log`, prefixed like its lines). */
  functionOutput?: (functionName: string, line: string) => void;
}

/**
 * A local Lambda for dev and tests: the Invoke API on one port, and for each function a pool of runtime processes,
 * each speaking the Runtime API on its own loopback port. Runtimes start lazily, on the first invocation that finds
 * none free (a cold start, as in Lambda), so `start()` is quick and an unused function costs nothing.
 */
export class LambdaEmulator {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly host: string;
  private readonly port: number;
  private server?: Server;
  private address?: string;
  private stopped = false;
  private readonly killRuntimesOnExit = (): void => {
    for (const pool of this.pools.values()) pool.killNow();
  };

  constructor(options: LambdaEmulatorOptions) {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    for (const definition of options.functions) {
      if (this.pools.has(definition.name)) throw new Error(`Lambda function ${definition.name} is defined twice`);
      const output = options.functionOutput && ((line: string) => options.functionOutput!(definition.name, line));
      this.pools.set(definition.name, new FunctionPool(definition, log, output));
    }
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
  }

  /** The Invoke API's base URL, for `new LambdaClient({ endpoint })`. */
  get endpoint(): string {
    if (!this.address) throw new Error('LambdaEmulator is not started');
    return this.address;
  }

  async start(): Promise<void> {
    if (this.server || this.stopped) throw new Error('LambdaEmulator starts once; create a new one after stop()');
    const server = createServer(invokeApi(this.pools));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, resolve);
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    this.address = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    process.on('exit', this.killRuntimesOnExit);
  }

  /** The next `count` invocations of `functionName` suffer `fault` (see `InjectedFault`), after any injected before. */
  injectFaults(functionName: string, fault: InjectedFault, count: number): void {
    const pool = this.pools.get(functionName);
    if (!pool) throw new Error(`Unknown Lambda function ${functionName}`);
    pool.injectFaults(fault, count);
  }

  /** Refuses new connections, kills every runtime process (waiting for each to exit), and closes all servers. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stopped = true;
    this.server = undefined;
    this.address = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
    server.closeAllConnections();
    await closed;
    process.off('exit', this.killRuntimesOnExit);
  }
}
