/**
 * One Lambda function's sandboxes: concurrency cap (reserved, or a share of the account's unreserved pool), warm
 * sandboxes reused most-recent first, a cold start whenever none is free, and idle sandboxes reclaimed after a while.
 */
export class ConcurrencyLimit {
  inUse = 0;
  constructor(readonly limit: number) {}
}

export interface PoolAssumptions {
  /** How long Lambda keeps an idle sandbox (not published; observed between minutes and tens of minutes). */
  idleSandboxLifetimeSeconds: number;
}

export class FunctionPool {
  private idleSince: number[] = [];
  /** This function's running invocations (its limit may be a pool shared with other functions). */
  inUse = 0;
  coldStarts = 0;
  throttles = 0;
  invocations = 0;
  peakConcurrency = 0;
  /** The highest concurrency since the last `takePeak`. */
  private windowPeak = 0;

  constructor(
    readonly name: string,
    private readonly limits: ConcurrencyLimit[],
    private readonly assumptions: PoolAssumptions,
  ) {}

  get concurrencyLimit(): number {
    return Math.min(...this.limits.map((limit) => limit.limit));
  }

  /** Starts an invocation: `cold` when it needs a new sandbox; undefined when Lambda throttles it (429). */
  tryStart(now: number): { cold: boolean } | undefined {
    if (this.limits.some((limit) => limit.inUse >= limit.limit)) {
      this.throttles += 1;
      return undefined;
    }
    for (const limit of this.limits) limit.inUse += 1;
    this.invocations += 1;
    const inUse = ++this.inUse;
    if (inUse > this.peakConcurrency) this.peakConcurrency = inUse;
    if (inUse > this.windowPeak) this.windowPeak = inUse;
    const oldestKept = now - this.assumptions.idleSandboxLifetimeSeconds;
    // Reclaimed sandboxes are the longest idle ones, at the front.
    let reclaimed = 0;
    while (reclaimed < this.idleSince.length && this.idleSince[reclaimed]! < oldestKept) reclaimed += 1;
    if (reclaimed > 0) this.idleSince.splice(0, reclaimed);
    if (this.idleSince.length > 0) {
      this.idleSince.pop();
      return { cold: false };
    }
    this.coldStarts += 1;
    return { cold: true };
  }

  /** Ends an invocation; `keepSandbox` false when it timed out or crashed (Lambda resets that sandbox). */
  finish(now: number, keepSandbox = true): void {
    for (const limit of this.limits) limit.inUse -= 1;
    this.inUse -= 1;
    if (keepSandbox) this.idleSince.push(now);
  }

  takePeak(): number {
    const peak = this.windowPeak;
    this.windowPeak = this.inUse;
    return peak;
  }
}
