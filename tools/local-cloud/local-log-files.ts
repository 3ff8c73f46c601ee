import { fileSink } from '@app/observability';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where every local component writes its lines: `.local/logs/<service>.log` in the checkout, or UDAGRAM_LOG_DIR.
 * The app's functions (udagram-api, classification-worker, thumbnail-worker, notifier, websocket) write JSON lines
 * there themselves (StructuredLogger, told by UDAGRAM_LOG_DIR in their environment); the classifier's stdout and
 * stderr go to classifier.log as it printed them (a line that is not JSON time-stamped); the emulators' text lines
 * go to their own files, time-stamped.
 */
export function localLogDirectory(root: string, environment: NodeJS.ProcessEnv = process.env): string {
  return environment.UDAGRAM_LOG_DIR || join(root, '.local', 'logs');
}

/** The files of the emulators and stand-ins around the functions. */
export const EMULATOR_LOGS = {
  /** DynamoDB Local, the S3 emulator and the dev identity provider. */
  localCloud: 'local-cloud',
  /** DynamoDB Local's own output: the JVM's lines, as it printed them. */
  dynamoDbLocal: 'dynamodb-local',
  lambdaEmulator: 'lambda-emulator',
  classifier: 'classifier',
  sqs: 'sqs',
  webSocketGateway: 'websocket-gateway',
  notifierStream: 'notifier-stream',
} as const;

export class LocalLogFiles {
  constructor(readonly directory: string) {}

  /**
   * Starts the run's files afresh (the test run: a failing test's tail is this run's lines only). Only the services'
   * `*.log` files go: folders beside them (npm test's step logs in `test/`) belong to whoever made them.
   */
  clear(): this {
    if (!existsSync(this.directory)) return this;
    const entries = readdirSync(this.directory, { withFileTypes: true, encoding: 'utf8' }).filter(
      (entry) => entry.isFile() && entry.name.endsWith('.log'),
    );
    for (const entry of entries) rmSync(join(this.directory, entry.name), { force: true });
    return this;
  }

  /** A text line writer for one component: each line time-stamped, so the files can be read side by side. */
  textWriter(name: string): (line: string) => void {
    const sink = fileSink(this.directory, name);
    return (line) => sink.write(`${new Date().toISOString()} ${line}`, {});
  }

  /** A process's own output: JSON lines as printed (they carry their time), any other line time-stamped. */
  outputWriter(name: string): (line: string) => void {
    const sink = fileSink(this.directory, name);
    return (line) => sink.write(line.startsWith('{') ? line : `${new Date().toISOString()} ${line}`, {});
  }

  path(name: string): string {
    return join(this.directory, `${name}.log`);
  }
}
