import { describe, expect, it } from 'vitest';
import { runCapacityLedger } from './run-capacity-ledger.js';

describe('capacity ledger (small run on DynamoDB Local, scaled to 1,000 uploads/s and 20,000 reads/s)', () => {
  it('finds no partition key over 1,000 WCU/s or 3,000 RCU/s at the design target', async () => {
    const { report, text } = await runCapacityLedger(
      process.env.DYNAMODB_ENDPOINT!,
      { groups: 12, uploads: 80, readsPerRoute: 4 },
      () => undefined,
    );
    console.log(text);

    // Every step of the workload was recorded and charged, so an empty ledger cannot pass.
    expect(report.costs.map((cost) => cost.step).sort()).toEqual([
      'create-group',
      'delete',
      'front-page',
      'hot-group-page',
      'label-search',
      'upload',
    ]);
    expect(report.costs.every((cost) => cost.writeUnits + cost.readUnits > 0)).toBe(true);
    // Named, so a failure says which key is hot and how hot.
    expect(
      report.failing.map(
        (key) => `${key.key}: ${key.writeUnitsPerSecond.toFixed(0)} WCU/s, ${key.readUnitsPerSecond.toFixed(0)} RCU/s`,
      ),
    ).toEqual([]);
  });
});
