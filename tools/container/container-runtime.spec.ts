import { describe, expect, it } from 'vitest';
import { ContainerRuntime } from './container-runtime.js';

describe('ContainerRuntime', () => {
  const options = {
    image: 'localhost/udagram-classifier:dev',
    label: 'udagram.container-test=42',
    namePrefix: 'classifier-42',
    podmanEnv: { CONTAINERS_CONF: '/repo/.local/podman/containers.conf' },
    wrapperPath: '/repo/tools/container/podman-runtime.sh',
  };

  it('runs the image on the host network through the wrapper, with the Runtime API address', () => {
    const runtime = new ContainerRuntime(options);

    const command = runtime.command('127.0.0.1:40123');

    expect(command).toEqual({
      command: 'bash',
      args: [
        '/repo/tools/container/podman-runtime.sh',
        'classifier-42-1',
        '--label',
        'udagram.container-test=42',
        '--network=host',
        '-e',
        'AWS_LAMBDA_RUNTIME_API=127.0.0.1:40123',
        'localhost/udagram-classifier:dev',
      ],
      env: { CONTAINERS_CONF: '/repo/.local/podman/containers.conf' },
    });
  });

  it('gives every runtime process its own container name and remembers them in start order', () => {
    const runtime = new ContainerRuntime(options);

    const first = runtime.command('127.0.0.1:1');
    const second = runtime.command('127.0.0.1:2');

    expect([first.args?.[1], second.args?.[1]]).toEqual(['classifier-42-1', 'classifier-42-2']);
    expect(runtime.names).toEqual(['classifier-42-1', 'classifier-42-2']);
  });

  it('makes an idle container of the same image, labelled and wrapped alike', () => {
    const runtime = new ContainerRuntime(options);

    const idle = runtime.idleCommand(300);

    expect(idle).toEqual({
      name: 'classifier-42-idle',
      command: 'bash',
      args: [
        '/repo/tools/container/podman-runtime.sh',
        'classifier-42-idle',
        '--label',
        'udagram.container-test=42',
        '--entrypoint',
        'sleep',
        'localhost/udagram-classifier:dev',
        '300',
      ],
      env: { CONTAINERS_CONF: '/repo/.local/podman/containers.conf' },
    });
    expect(runtime.names).toEqual([]);
  });
});
