import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Where a logger's lines go: one JSON object per line, already serialised, with its parsed attributes. */
export interface LogSink {
  write(json: string, attributes: Readonly<Record<string, unknown>>): void;
}

/** Lambda (and any process without a log directory): JSON lines on stdout, which CloudWatch Logs keeps. */
export const stdoutJsonSink: LogSink = {
  write: (json) => void process.stdout.write(`${json}\n`),
};

/** Readable lines for a person at a terminal (`npm start`): the same fields, time first, keys after the message. */
export const stdoutPrettySink: LogSink = {
  write: (_json, attributes) => void process.stdout.write(`${prettyLine(attributes)}\n`),
};

const openFiles = new Map<string, number>();

/**
 * Appends JSON lines to `<directory>/<service>.log`, synchronously (a line is on disk when the call returns, so a
 * test reading the file, or a process that exits, loses none). O_APPEND: processes sharing a file never overwrite
 * each other's lines.
 */
export function fileSink(directory: string, service: string): LogSink {
  const path = join(directory, `${service}.log`);
  return {
    write: (json) => {
      let descriptor = openFiles.get(path);
      if (descriptor === undefined) {
        mkdirSync(directory, { recursive: true });
        descriptor = openSync(path, 'a');
        openFiles.set(path, descriptor);
      }
      writeSync(descriptor, `${json}\n`);
    },
  };
}

/** Closes the files this process opened (tests that delete their log directory). */
export function closeLogFiles(): void {
  for (const descriptor of openFiles.values()) closeSync(descriptor);
  openFiles.clear();
}

/**
 * The sink for a service, from the environment: `UDAGRAM_LOG_DIR` → its file; `UDAGRAM_LOG_PRETTY=true` → readable
 * lines on stdout (both when both are set); neither (Lambda) → JSON on stdout.
 */
export function sinkFromEnvironment(service: string, environment: NodeJS.ProcessEnv = process.env): LogSink {
  const sinks: LogSink[] = [];
  if (environment.UDAGRAM_LOG_DIR) sinks.push(fileSink(environment.UDAGRAM_LOG_DIR, service));
  if (environment.UDAGRAM_LOG_PRETTY === 'true') sinks.push(stdoutPrettySink);
  if (sinks.length === 0) return stdoutJsonSink;
  if (sinks.length === 1) return sinks[0]!;
  return { write: (json, attributes) => sinks.forEach((sink) => sink.write(json, attributes)) };
}

// Shown first, or (sampling_rate, Powertools' debug sampling, 0 unless configured) not worth a person's attention.
const HEAD_KEYS = new Set(['level', 'message', 'timestamp', 'service', 'context', 'sampling_rate']);

/** `12:03:04.123 INFO  udagram-api ImagesService: Image … created  imageId=… correlationId=…` */
export function prettyLine(attributes: Readonly<Record<string, unknown>>): string {
  const time = typeof attributes.timestamp === 'string' ? attributes.timestamp.slice(11, 23) : '';
  const level = text(attributes.level).padEnd(5);
  const context = attributes.context === undefined ? '' : ` ${text(attributes.context)}:`;
  const keys = Object.entries(attributes)
    .filter(([key]) => !HEAD_KEYS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [`${time} ${level} ${text(attributes.service)}${context} ${text(attributes.message)}`, ...keys].join('  ');
}

/** A head field as text: strings as they are, anything else as JSON (never `[object Object]`). */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
