import { describe, expect, it } from 'vitest';
import { faultForInvocation } from './fault-schedule.js';

describe('faultForInvocation', () => {
  it('spreads crash, timeout and throttle in turn over every k-th invocation', () => {
    const faults = Array.from({ length: 21 }, (_, index) => faultForInvocation(index + 1, 3));

    expect(faults.map((fault, index) => (fault === undefined ? [] : [[index + 1, fault]])).flat()).toEqual([
      [3, 'crash'],
      [6, 'timeout'],
      [9, 'throttle'],
      [12, 'crash'],
      [15, 'timeout'],
      [18, 'throttle'],
      [21, 'crash'],
    ]);
  });
});
