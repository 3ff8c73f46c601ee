import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mapStackTracesOnDemand } from './stack-trace-mapping.js';

const BUNDLE_URL = 'file:///var/task/index.mjs';
// Lines 1 and 2 of the bundle come from lines 3 and 4 (column 5) of ../src/groups.service.ts.
const MAP = JSON.stringify({ version: 3, sources: ['../src/groups.service.ts'], names: [], mappings: 'AAEI;AACA' });

/** A V8 call site as the stack formatter receives it. */
function frame(fileName: string, line: number, column: number): NodeJS.CallSite {
  return {
    getFileName: () => fileName,
    getLineNumber: () => line,
    getColumnNumber: () => column,
    toString: () => `list (${fileName}:${line}:${column})`,
  } as unknown as NodeJS.CallSite;
}

function format(error: Error, frames: NodeJS.CallSite[]): string {
  return Error.prepareStackTrace!(error, frames) as string;
}

describe('mapStackTracesOnDemand', () => {
  let testRunnerFormatter: typeof Error.prepareStackTrace;

  beforeEach(() => {
    testRunnerFormatter = Error.prepareStackTrace;
    Reflect.deleteProperty(Error, 'prepareStackTrace'); // as in a Lambda process: Node's own formatter only
  });

  afterEach(() => {
    if (testRunnerFormatter === undefined) Reflect.deleteProperty(Error, 'prepareStackTrace');
    else Error.prepareStackTrace = testRunnerFormatter;
  });

  it('reads the map when a stack is first formatted, not before, and only once', () => {
    const readMap = vi.fn(() => MAP);

    expect(mapStackTracesOnDemand(BUNDLE_URL, readMap)).toBe(true);
    expect(readMap).not.toHaveBeenCalled();

    format(new Error('first'), [frame(BUNDLE_URL, 1, 1)]);
    format(new Error('second'), [frame(BUNDLE_URL, 1, 1)]);
    expect(readMap).toHaveBeenCalledTimes(1);
    expect(readMap).toHaveBeenCalledWith('/var/task/index.mjs.map');
  });

  it("names the source line of the bundle's frames and keeps other frames as V8 wrote them", () => {
    mapStackTracesOnDemand(BUNDLE_URL, () => MAP);

    expect(format(new TypeError('no such group'), [frame(BUNDLE_URL, 1, 1), frame('node:internal/timers', 9, 3)])).toBe(
      [
        'TypeError: no such group',
        '    at list (file:///var/src/groups.service.ts:3:5)',
        '    at list (node:internal/timers:9:3)',
      ].join('\n'),
    );
  });

  it("keeps the bundle's own frames when the map cannot be read", () => {
    mapStackTracesOnDemand(BUNDLE_URL, () => {
      throw new Error('ENOENT');
    });

    expect(format(new Error('lost'), [frame(BUNDLE_URL, 1, 1)])).toBe(
      ['Error: lost', '    at list (file:///var/task/index.mjs:1:1)'].join('\n'),
    );
  });

  it("leaves another library's formatter in place", () => {
    const foreign = (): string => 'formatted elsewhere';
    Error.prepareStackTrace = foreign;

    expect(mapStackTracesOnDemand(BUNDLE_URL, () => MAP)).toBe(false);
    expect(Error.prepareStackTrace).toBe(foreign);
  });
});
