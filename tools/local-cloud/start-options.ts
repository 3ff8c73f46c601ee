import { parseArgs } from 'node:util';

export interface StartOptions {
  inMemory: boolean;
  port: number;
  dataDir: string;
  help: boolean;
}

export const START_USAGE = `Usage: npm start -- [--in-memory] [--port N] [--data-dir DIR]

  --in-memory      keep no data (DynamoDB in memory, S3 in a temporary directory, a new signing key)
  --port N         the API's port (default: $PORT, else 3000)
  --data-dir DIR   where data persists between runs (default: .local/)`;

/** Thrown for flags the launcher does not understand; the message says which. */
export class StartOptionsError extends Error {
  override readonly name = 'StartOptionsError';
}

export function parseStartOptions(args: string[], environment: NodeJS.ProcessEnv): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'in-memory': { type: 'boolean', default: false },
        port: { type: 'string' },
        'data-dir': { type: 'string', default: '.local/' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new StartOptionsError((error as Error).message);
  }
  const port = values.port ?? environment.PORT ?? '3000';
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    throw new StartOptionsError(`The port must be a number from 1 to 65535, not "${port}"`);
  }
  if (values['data-dir'].trim() === '') throw new StartOptionsError('The data directory must not be empty');
  return { inMemory: values['in-memory'], port: Number(port), dataDir: values['data-dir'], help: values.help };
}
