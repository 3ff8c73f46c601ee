import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** One log line of any component, in the shape the timeline needs. */
export interface LogEntry {
  at: Date;
  /** The line's `service`, or the file's name for a text line. */
  service: string;
  level?: string;
  message: string;
  fields: Record<string, unknown>;
}

const TIME_STAMPED_TEXT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/;
const KEY_VALUE = /\b([A-Za-z][A-Za-z0-9_]*)=("[^"]*"|\S+)/g;

/**
 * A JSON line (Powertools' keys: `timestamp`, `service`, `level`, `message`) or a time-stamped text line of an
 * emulator or the classifier (`<ISO time> … imageId=… correlationId=…`); undefined for anything else.
 */
export function parseLogLine(line: string, fileService: string): LogEntry | undefined {
  if (line.startsWith('{')) {
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const at = new Date(String(fields.timestamp));
    if (Number.isNaN(at.getTime())) return undefined;
    const service = typeof fields.service === 'string' ? fields.service : fileService;
    return { at, service, level: stringOrUndefined(fields.level), message: String(fields.message ?? ''), fields };
  }
  const text = TIME_STAMPED_TEXT.exec(line);
  if (text === null) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [, key, value] of text[2]!.matchAll(KEY_VALUE)) fields[key!] = value!.replace(/^"|"$/g, '');
  return { at: new Date(text[1]!), service: fileService, message: text[2]!, fields };
}

/** Every parsable line of every `*.log` file in the directory. */
export async function readLogDirectory(directory: string): Promise<LogEntry[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.log'));
  const entries: LogEntry[] = [];
  for (const file of files) {
    const service = basename(file, '.log');
    for (const line of (await readFile(join(directory, file), 'utf8')).split('\n')) {
      const entry = parseLogLine(line, service);
      if (entry !== undefined) entries.push(entry);
    }
  }
  return entries;
}

/**
 * The image's lines, oldest first: those naming the image, and those of its correlation id that name no image (the
 * creating request's other lines). A correlation id a client reused for several images does not pull in the others.
 */
export function imageTimeline(entries: readonly LogEntry[], imageId: string): LogEntry[] {
  const aboutImage = entries.filter((entry) => entry.fields.imageId === imageId);
  const correlationIds = new Set(
    aboutImage.map((entry) => entry.fields.correlationId).filter((id) => typeof id === 'string'),
  );
  const ofRequest = entries.filter(
    (entry) => entry.fields.imageId === undefined && correlationIds.has(entry.fields.correlationId as string),
  );
  return [...aboutImage, ...ofRequest].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * One row per line: time since the first line, time since the previous one, the service, the level, the message,
 * and what a step reports about itself (the classifier's label, error type and timings; a cold start).
 */
export function formatTimeline(timeline: readonly LogEntry[]): string {
  if (timeline.length === 0) return '';
  const start = timeline[0]!.at.getTime();
  const width = Math.max(...timeline.map((entry) => entry.service.length));
  let previous = start;
  const rows = timeline.map((entry) => {
    const at = entry.at.getTime();
    const row = [
      `${entry.at.toISOString().slice(11, 23)}`,
      `+${String(at - start).padStart(6)} ms`,
      `(Δ ${String(at - previous).padStart(5)} ms)`,
      entry.service.padEnd(width),
      (entry.level ?? '').padEnd(5),
      [oneLine(entry.message), ...detailsOf(entry.fields)].join('  '),
    ].join('  ');
    previous = at;
    return row;
  });
  return rows.join('\n');
}

const DETAIL_KEYS = ['label', 'errorType', 'downloadMs', 'decodeMs', 'inferenceMs', 'durationMs'];

function detailsOf(fields: Record<string, unknown>): string[] {
  const flat: Record<string, unknown> = { ...fields, ...(isRecord(fields.timings) ? fields.timings : {}) };
  const details = DETAIL_KEYS.filter((key) => flat[key] !== undefined).map((key) => `${key}=${formatValue(flat[key])}`);
  if (fields.cold_start === true) details.push('(cold start)');
  return details;
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  return typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneLine(message: string): string {
  const line = message.split('\n')[0]!;
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
