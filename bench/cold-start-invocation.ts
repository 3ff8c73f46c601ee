/**
 * One cold start, run by bench/cold-start.ts in a fresh `node` process (as Lambda starts one): load the bundled
 * handler given as argument, answer one `GET /groups` (HTTP API event), report the times to the parent over IPC.
 * Times are from the process's own start (performance.now()), so Node's boot counts for both handlers alike.
 */
import { pathToFileURL } from 'node:url';
import { httpApiEvent, lambdaContext, normalizeResponse } from '../tools/deploy/api-gateway-events.js';

export interface ColdStartSample {
  /** Process start → bundle imported. */
  loadedMs: number;
  /** Process start → first response. */
  respondedMs: number;
  statusCode: number;
  itemCount: number;
  /** The Node that ran it (process.version). */
  nodeVersion: string;
}

type HttpHandler = (event: unknown, context: unknown) => Promise<Parameters<typeof normalizeResponse>[0]>;

const [bundle] = process.argv.slice(2);
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: HttpHandler };
const loadedMs = performance.now();
const response = normalizeResponse(await handler(httpApiEvent({ method: 'GET', path: '/groups?limit=10' }), lambdaContext()));
const respondedMs = performance.now();

const sample: ColdStartSample = {
  loadedMs,
  respondedMs,
  statusCode: response.statusCode,
  itemCount: response.statusCode === 200 ? (JSON.parse(response.body) as { items: unknown[] }).items.length : 0,
  nodeVersion: process.version,
};
process.send!(sample, () => process.exit(0));
