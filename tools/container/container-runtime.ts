import type { RuntimeCommand } from '@dev/lambda-emulator';

export interface ContainerRuntimeOptions {
  image: string;
  /** Put on every container of this run, to find leftovers (`podman ps -a --filter label=...`). */
  label: string;
  /** Names the containers `<namePrefix>-1`, `-2`, ... in start order. */
  namePrefix: string;
  /** The environment podman itself needs (e.g. CONTAINERS_CONF); the emulator gives runtimes a clean one. */
  podmanEnv: Record<string, string>;
  /** tools/container/podman-runtime.sh. */
  wrapperPath: string;
}

/**
 * The classifier image as the emulator's runtime process: `podman run` on the host network (the default bridge
 * cannot reach the Runtime API on the host's loopback), through a wrapper that removes the container when the
 * emulator kills the process. Remembers the names it gave, newest last.
 */
export class ContainerRuntime {
  readonly names: string[] = [];

  constructor(private readonly options: ContainerRuntimeOptions) {}

  command(runtimeApi: string): RuntimeCommand {
    const name = `${this.options.namePrefix}-${this.names.length + 1}`;
    this.names.push(name);
    return this.wrapped(name, ['--network=host', '-e', `AWS_LAMBDA_RUNTIME_API=${runtimeApi}`, this.options.image]);
  }

  /** A container of the same image that only sleeps, named `<namePrefix>-idle`: to check the wrapper's clean-up. */
  idleCommand(seconds: number): RuntimeCommand & { name: string } {
    const name = `${this.options.namePrefix}-idle`;
    return { name, ...this.wrapped(name, ['--entrypoint', 'sleep', this.options.image, String(seconds)]) };
  }

  private wrapped(name: string, runArgs: string[]): RuntimeCommand {
    const { label, podmanEnv, wrapperPath } = this.options;
    return { command: 'bash', args: [wrapperPath, name, '--label', label, ...runArgs], env: podmanEnv };
  }
}
