import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces of a bundle mapped to its sources through its map, read only when a stack is first formatted. Node's
 * `--enable-source-maps` reads and indexes the whole map (3 MB for the API) while the bundle loads: ≈ 27 ms CPU of
 * every cold start (bench/COLD-START.md), for traces most starts never print. Frames outside the bundle, or with no
 * mapping, keep V8's text. Installed only over Node's own formatter, never over another library's (a test runner's).
 * Returns whether it was installed.
 */
export function mapStackTracesOnDemand(
  bundleUrl: string,
  readMap: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): boolean {
  const currentFormatter: string | undefined = Error.prepareStackTrace?.name;
  if (currentFormatter !== undefined && currentFormatter !== 'ErrorPrepareStackTrace') return false;
  const mapUrl = `${bundleUrl}.map`;
  let map: SourceMap | null | undefined;
  const loadMap = (): SourceMap | null => {
    try {
      return new SourceMap(JSON.parse(readMap(fileURLToPath(mapUrl))) as SourceMapPayload);
    } catch {
      return null; // No map beside the bundle: V8's frames as they are.
    }
  };
  Error.prepareStackTrace = (error: unknown, frames: CallSite[]) => {
    map ??= loadMap();
    const sourceMap = map;
    const mapped = frames.map(
      (frame) => `    at ${sourceMap === null ? frame.toString() : mapFrame(frame, sourceMap)}`,
    );
    return [firstStackLine(error), ...mapped].join('\n');
  };
  return true;

  function mapFrame(frame: CallSite, sourceMap: SourceMap): string {
    const text = frame.toString();
    const [line, column] = [frame.getLineNumber(), frame.getColumnNumber()];
    if (frame.getFileName() !== bundleUrl || line === null || column === null) return text;
    const entry = sourceMap.findEntry(line - 1, column - 1);
    if (!('originalSource' in entry)) return text;
    const source = new URL(entry.originalSource, mapUrl).href;
    return text.replace(
      `${bundleUrl}:${line}:${column}`,
      `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`,
    );
  }
}

/** V8's call site, whose text is the frame as V8 writes it (`fn (file:line:column)`). */
type CallSite = NodeJS.CallSite & { toString(): string };

/** The first line of a stack, as V8 writes it. */
function firstStackLine(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return String(error);
  }
}
