import { describe, expect, it } from 'vitest';
import { sparkline } from './format-report.js';

describe('sparkline', () => {
  it('scales each value to the largest, one character per value', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('draws a flat line when every value is zero', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });
});
