import type { RecordedRequest } from './capacity-recorder.js';

/** DynamoDB's per-partition ceilings (units per second). */
export const PARTITION_LIMITS = { writeUnits: 1000, readUnits: 3000 } as const;

/** The design target: 1,000 uploads/s and 20,000 API reads/s split over the three read routes. */
export interface DesignTarget {
  /** Steps per second at the target, by workload step. */
  rates: Record<string, number>;
}

const READS_PER_SECOND = 20000;
const READ_ROUTES = ['front-page', 'hot-group-page', 'label-search'] as const;
/** Little's law: 20,000 reads/s × ≈50 ms per request (the scale review's figure) ≈ 1,000 warm API instances. */
export const WARM_API_INSTANCES = Math.ceil(READS_PER_SECOND * 0.05);

/**
 * The rates at the target. Each read route is a first page (what a crowd asks for); with the first-page cache on
 * (LISTING_CACHE_TTL_MS > 0) each warm instance reads it from DynamoDB at most once per TTL, so the rate reaching
 * DynamoDB is min(route rate, warm instances / TTL). With the cache off, every read reaches DynamoDB.
 */
export function designTarget(listingCacheTtlMs: number): DesignTarget {
  const perRoute = READS_PER_SECOND / READ_ROUTES.length;
  const reaching =
    listingCacheTtlMs > 0 ? Math.min(perRoute, (WARM_API_INSTANCES * 1000) / listingCacheTtlMs) : perRoute;
  return {
    rates: {
      upload: 1000,
      // Deletes: one in ten uploads, an assumption (the target names none).
      delete: 100,
      // Group creation: rare next to uploads.
      'create-group': 10,
      ...Object.fromEntries(READ_ROUTES.map((route) => [route, reaching])),
    },
  };
}

export const DESIGN_TARGET: DesignTarget = designTarget(0);

export interface StepCost {
  step: string;
  count: number;
  readUnits: number;
  writeUnits: number;
  requests: number;
  transactional: number;
  /** What DynamoDB Local itself reported (ReturnConsumedCapacity INDEXES), where it did. */
  reportedUnits: number;
}

export interface KeyHeat {
  key: string;
  readUnitsPerSecond: number;
  writeUnitsPerSecond: number;
  pass: boolean;
}

export interface CapacityReport {
  costs: StepCost[];
  keys: KeyHeat[];
  /** Keys over a partition's limit at the target, hottest first. */
  failing: KeyHeat[];
}

/**
 * Scales the recorded per-step costs to the target: a key's units per second is, over the steps, its units per
 * recorded step times the step's rate at the target. The recorded workload's distributions (groups by Zipf,
 * words by the model's outputs) carry over: a key that took 30% of the recorded uploads' units takes 30% at 1,000/s.
 */
export function capacityReport(
  requests: readonly RecordedRequest[],
  steps: Record<string, number>,
  target = DESIGN_TARGET,
): CapacityReport {
  const costs = new Map<string, StepCost>();
  const heat = new Map<string, { read: number; write: number }>();
  for (const request of requests) {
    const count = steps[request.step] ?? 0;
    const cost = costs.get(request.step) ?? {
      step: request.step,
      count,
      readUnits: 0,
      writeUnits: 0,
      requests: 0,
      transactional: 0,
      reportedUnits: 0,
    };
    cost.requests += 1;
    if (request.transactional) cost.transactional += 1;
    cost.reportedUnits += reportedUnits(request.consumedCapacity);
    const rate = target.rates[request.step] ?? 0;
    for (const charge of request.charges) {
      cost.readUnits += charge.readUnits;
      cost.writeUnits += charge.writeUnits;
      const entry = heat.get(charge.key) ?? { read: 0, write: 0 };
      entry.read += (charge.readUnits / count) * rate;
      entry.write += (charge.writeUnits / count) * rate;
      heat.set(charge.key, entry);
    }
    costs.set(request.step, cost);
  }
  const keys = [...heat]
    .map(([key, { read, write }]) => ({
      key,
      readUnitsPerSecond: read,
      writeUnitsPerSecond: write,
      pass: read <= PARTITION_LIMITS.readUnits && write <= PARTITION_LIMITS.writeUnits,
    }))
    .sort((a, b) => loadOf(b) - loadOf(a));
  const perStep = [...costs.values()].map((cost) => ({
    ...cost,
    readUnits: cost.readUnits / cost.count,
    writeUnits: cost.writeUnits / cost.count,
    requests: cost.requests / cost.count,
    transactional: cost.transactional / cost.count,
    reportedUnits: cost.reportedUnits / cost.count,
  }));
  return { costs: perStep, keys, failing: keys.filter((key) => !key.pass) };
}

function reportedUnits(consumed: unknown): number {
  const entries = Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed];
  return entries.reduce((sum: number, entry: { CapacityUnits?: number }) => sum + (entry.CapacityUnits ?? 0), 0);
}

/** How close a key is to its limits: the larger of its read and write shares. */
export function loadOf(key: KeyHeat): number {
  return Math.max(
    key.readUnitsPerSecond / PARTITION_LIMITS.readUnits,
    key.writeUnitsPerSecond / PARTITION_LIMITS.writeUnits,
  );
}

export function formatReport(report: CapacityReport, target = DESIGN_TARGET, top = 10): string {
  const lines: string[] = [];
  const fixed = (value: number, digits = 1) => value.toFixed(digits).padStart(9);
  lines.push('Units per operation (recorded on DynamoDB Local through the real services):');
  lines.push(
    `  ${'operation'.padEnd(16)} ${'rate/s'.padStart(9)} ${'WCU'.padStart(9)} ${'RCU'.padStart(9)} ${'requests'.padStart(9)} ${'txn'.padStart(5)} ${'Local says'.padStart(11)}`,
  );
  for (const cost of report.costs) {
    lines.push(
      `  ${cost.step.padEnd(16)} ${fixed(target.rates[cost.step] ?? 0, 0)} ${fixed(cost.writeUnits)} ${fixed(cost.readUnits)} ${fixed(cost.requests)} ${cost.transactional.toFixed(1).padStart(5)} ${cost.reportedUnits.toFixed(1).padStart(11)}`,
    );
  }
  lines.push(
    '  (WCU/RCU: the ledger, by DynamoDB\'s rules incl. derived index writes; "Local says": ConsumedCapacity from DynamoDB Local, table units only.)',
  );
  lines.push('');
  lines.push(
    `The ${top} hottest partition keys at the target (limits ${PARTITION_LIMITS.writeUnits} WCU/s, ${PARTITION_LIMITS.readUnits} RCU/s per key):`,
  );
  for (const key of report.keys.slice(0, top)) {
    lines.push(
      `  ${key.pass ? 'PASS' : 'FAIL'} ${fixed(key.writeUnitsPerSecond, 0)} WCU/s ${fixed(key.readUnitsPerSecond, 0)} RCU/s  ${key.key}`,
    );
  }
  lines.push('');
  lines.push('The hottest key of each table and index:');
  const seen = new Set<string>();
  for (const key of report.keys) {
    const place = key.key.split('/').slice(0, 2).join('/');
    if (seen.has(place)) continue;
    seen.add(place);
    lines.push(
      `  ${key.pass ? 'PASS' : 'FAIL'} ${fixed(key.writeUnitsPerSecond, 0)} WCU/s ${fixed(key.readUnitsPerSecond, 0)} RCU/s  ${key.key}`,
    );
  }
  lines.push('');
  lines.push(
    report.failing.length === 0
      ? 'PASS: no partition key over its limit at the target'
      : `FAIL: ${report.failing.length} partition key(s) over the limit at the target: ${report.failing.map((key) => key.key).join(', ')}`,
  );
  return lines.join('\n');
}
