import type { SeededRandom } from './seeded-random.js';

/** A service time in milliseconds. */
export interface Distribution {
  sample(random: SeededRandom): number;
  /** The mean, for the arithmetic printed beside the simulation. */
  readonly meanMs: number;
  readonly description: string;
}

const Z95 = 1.6448536269514722;

/**
 * Lognormal fitted to a measured median and 95th percentile: latencies are right-skewed and never negative, and two
 * percentiles are what the benches print. μ = ln p50, σ = (ln p95 − ln p50) / z(0.95).
 */
export function lognormal(p50Ms: number, p95Ms: number): Distribution {
  if (!(p50Ms > 0) || !(p95Ms >= p50Ms)) throw new RangeError(`lognormal needs 0 < p50 ≤ p95, got ${p50Ms} / ${p95Ms}`);
  const mu = Math.log(p50Ms);
  const sigma = (Math.log(p95Ms) - mu) / Z95;
  return {
    sample: (random) => Math.exp(mu + sigma * random.normal()),
    meanMs: Math.exp(mu + (sigma * sigma) / 2),
    description: `lognormal p50 ${p50Ms} ms, p95 ${p95Ms} ms`,
  };
}

/** Exponential with the given mean: the service time of an M/M/c queue. */
export function exponential(meanMs: number): Distribution {
  return { sample: (random) => random.exponential(1 / meanMs), meanMs, description: `exponential mean ${meanMs} ms` };
}

export function constant(valueMs: number): Distribution {
  return { sample: () => valueMs, meanMs: valueMs, description: `${valueMs} ms` };
}

/** The sum of independent parts (e.g. a process start measured here plus the platform's share). */
export function sum(...parts: Distribution[]): Distribution {
  return {
    sample: (random) => parts.reduce((total, part) => total + part.sample(random), 0),
    meanMs: parts.reduce((total, part) => total + part.meanMs, 0),
    description: parts.map((part) => part.description).join(' + '),
  };
}

/** A distribution stretched by a factor (a heavier model on the same code path). */
export function scaled(part: Distribution, factor: number): Distribution {
  return {
    sample: (random) => part.sample(random) * factor,
    meanMs: part.meanMs * factor,
    description: `${factor} × (${part.description})`,
  };
}
