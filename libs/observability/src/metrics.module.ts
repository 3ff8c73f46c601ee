import { Module, type FactoryProvider } from '@nestjs/common';
import { metricsSettingsFromEnvironment, UdagramMetrics } from './udagram-metrics.js';

/** One instance per process: a Lambda instance's first boot is its cold start, counted once. */
let coldStartCounted = false;

/** Read when the application boots (the function's POWERTOOLS_SERVICE_NAME), never at import time. */
export const udagramMetricsProvider: FactoryProvider<UdagramMetrics> = {
  provide: UdagramMetrics,
  useFactory: () => {
    const metrics = new UdagramMetrics(metricsSettingsFromEnvironment(process.env, 'udagram'));
    if (!coldStartCounted) {
      coldStartCounted = true;
      metrics.coldStart();
    }
    return metrics;
  },
};

/** The application's metrics (UdagramMetrics), for the libraries that count what they do. */
@Module({ providers: [udagramMetricsProvider], exports: [UdagramMetrics] })
export class MetricsModule {}
