import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '../repository-root.js';
import {
  capacityReport,
  designTarget,
  formatReport,
  WARM_API_INSTANCES,
  type CapacityReport,
} from './capacity-model.js';
import { recordWorkload, type WorkloadOptions, type WorkloadRecording } from './capacity-workload.js';

export type LedgerSize = Pick<WorkloadOptions, 'groups' | 'uploads' | 'readsPerRoute'>;

/** The model's class names, read from the shared model folder (MODEL_DIR, else ../shared/models/squeezenet-dc). */
export function modelClassesFile(): string {
  return path.resolve(repositoryRoot(), process.env.MODEL_DIR ?? '../shared/models/squeezenet-dc', 'classes.txt');
}

/** The API function's LISTING_CACHE_TTL_MS as serverless.ts sets it (0 when it sets none). */
export function deployedListingCacheTtlMs(): number {
  const stack = readFileSync(path.join(repositoryRoot(), 'serverless.ts'), 'utf8');
  const match = /LISTING_CACHE_TTL_MS:\s*'(\d+)'/.exec(stack);
  return match === null ? 0 : Number(match[1]);
}

/** Records the workload on the given DynamoDB and scales it to the design target. */
export async function runCapacityLedger(
  dynamodbEndpoint: string,
  size: LedgerSize,
  log: (line: string) => void,
): Promise<{ recording: WorkloadRecording; report: CapacityReport; text: string }> {
  const tablePrefix = `ledger-${Date.now().toString(36)}`;
  const recording = await recordWorkload({
    dynamodbEndpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    tablePrefix,
    groupSkew: 1.1,
    deleteShare: 0.1,
    pageSize: 20,
    seed: 20261204,
    classesFile: modelClassesFile(),
    log,
    ...size,
  });
  // Keys are named by the tables' logical names (groups, images, image-labels), not this run's table names, and a
  // group by its popularity rank (`group-1` is the Zipf head), so a hot key reads as what it is.
  const rankOf = new Map(recording.groupIds.map((id, rank) => [id, `group-${rank + 1}`]));
  const name = (key: string) =>
    key
      .replace(`${tablePrefix}-`, '')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => rankOf.get(id) ?? id);
  const requests = recording.requests.map((request) => ({
    ...request,
    charges: request.charges.map((charge) => ({ ...charge, key: name(charge.key) })),
  }));
  const ttlMs = deployedListingCacheTtlMs();
  const target = designTarget(ttlMs);
  const report = capacityReport(requests, recording.steps, target);
  const header =
    `Workload: ${size.groups} groups (Zipf 1.1), ${size.uploads} uploads (the hottest group took ` +
    `${(recording.hotGroupShare * 100).toFixed(1)}%), hottest label word "${recording.hotWord}" on ` +
    `${(recording.hotWordShare * 100).toFixed(1)}% of uploads, ${size.readsPerRoute} reads per route.`;
  const reads =
    `Read routes at the target: 20,000 reads/s over 3 first pages = 6,667/s each; serverless.ts LISTING_CACHE_TTL_MS=${ttlMs} ` +
    `→ reaching DynamoDB: ${target.rates['front-page']!.toFixed(0)}/s each` +
    (ttlMs > 0 ? ` (≤ ${WARM_API_INSTANCES} warm instances / ${ttlMs / 1000} s).` : ' (no cache).');
  return { recording, report, text: `${header}\n${reads}\n\n${formatReport(report, target)}` };
}
