import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricsModule } from './metrics.module.js';
import { UdagramMetrics } from './udagram-metrics.js';

describe('MetricsModule', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('counts one cold start per process, however many applications boot in it, as the function’s service', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'udagram-ci-notifier');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'notifier');
    const coldStart = vi.spyOn(UdagramMetrics.prototype, 'coldStart').mockImplementation(() => undefined);

    const first = (await Test.createTestingModule({ imports: [MetricsModule] }).compile()).get(UdagramMetrics);
    await Test.createTestingModule({ imports: [MetricsModule] }).compile();

    expect(coldStart).toHaveBeenCalledTimes(1);
    expect(first.service).toBe('notifier');
  });
});
