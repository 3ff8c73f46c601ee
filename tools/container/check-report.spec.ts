import { describe, expect, it } from 'vitest';
import { CheckReport } from './check-report.js';

describe('CheckReport', () => {
  it('prints a line per check and closes with the counts', async () => {
    const lines: string[] = [];
    const report = new CheckReport((line) => lines.push(line));

    report.record('squirrel.jpg', true, 'fox squirrel');
    await report.run('camera.png', async () => ({ ok: false, detail: 'got "lens cap"' }));
    report.printSummary();

    expect(lines).toEqual([
      'PASS  squirrel.jpg: fox squirrel',
      'FAIL  camera.png: got "lens cap"',
      '1 passed, 1 failed',
    ]);
    expect(report.failures).toBe(1);
  });

  it('counts a check that throws as failed, with the error message', async () => {
    const lines: string[] = [];
    const report = new CheckReport((line) => lines.push(line));

    await report.run('imageUrl', async () => {
      throw new Error('connect ECONNREFUSED');
    });

    expect(lines).toEqual(['FAIL  imageUrl: connect ECONNREFUSED']);
    expect(report.failures).toBe(1);
  });
});
