import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from './capacity-recorder.js';
import { capacityReport } from './capacity-model.js';
import { itemSize } from './item-size.js';

const charge = (key: string, writeUnits: number, readUnits = 0) => ({
  key,
  writeUnits,
  readUnits,
  bytes: 100,
  transactional: false,
});

describe('capacity model', () => {
  it('scales a key’s units per recorded step to the step’s rate at the target and flags keys over the limits', () => {
    const requests: RecordedRequest[] = [
      {
        operation: 'PutItem',
        step: 'upload',
        transactional: false,
        charges: [charge('images/-/hot', 2), charge('images/index/PENDING', 1)],
      },
      {
        operation: 'PutItem',
        step: 'upload',
        transactional: false,
        charges: [charge('images/-/cold', 2), charge('images/index/PENDING', 1)],
      },
      {
        operation: 'Query',
        step: 'front-page',
        transactional: false,
        charges: [charge('groups/index/groups', 0, 0.5)],
      },
    ];

    const report = capacityReport(
      requests,
      { upload: 2, 'front-page': 1 },
      { rates: { upload: 1000, 'front-page': 8000 } },
    );

    expect(report.keys.find((key) => key.key === 'images/-/hot')?.writeUnitsPerSecond).toBe(1000);
    expect(report.keys.find((key) => key.key === 'images/index/PENDING')?.writeUnitsPerSecond).toBe(1000);
    expect(report.keys.find((key) => key.key === 'groups/index/groups')?.readUnitsPerSecond).toBe(4000);
    expect(report.failing.map((key) => key.key)).toEqual(['groups/index/groups']);
    expect(report.costs.find((cost) => cost.step === 'upload')).toMatchObject({ writeUnits: 3, requests: 1 });
  });

  it('sizes items by DynamoDB’s rules in both the wire form and the document form', () => {
    const document = { id: 'abc', n: 12345, tags: ['x', 'yy'], ok: true };
    const wire = { id: { S: 'abc' }, n: { N: '12345' }, tags: { L: [{ S: 'x' }, { S: 'yy' }] }, ok: { BOOL: true } };

    // id 2+3, n 1+(3+1), tags 4+(3+2+3), ok 2+1
    expect(itemSize(document)).toBe(5 + 5 + 12 + 3);
    expect(itemSize(wire)).toBe(itemSize(document));
  });
});
