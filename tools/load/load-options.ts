/** What one load run does; read from the environment by the script, given directly by the reduced test. */
export interface LoadOptions {
  /** Images created and uploaded (LOAD_IMAGES). */
  images: number;
  /** Clients working at once, each creating and uploading one image after another (LOAD_CONCURRENCY). */
  concurrency: number;
  /** Every k-th classifier invocation suffers a fault, crash, timeout and throttle in turn (LOAD_FAULT_EVERY). */
  faultEvery: number;
  /** The whole run, start to clean-up (LOAD_TIMEOUT_SECONDS). */
  timeoutSeconds: number;
  /**
   * Percent of the API's DynamoDB requests answered as throttled, TransactWrites cancelled by a conflict, and
   * BatchGets leaving keys unprocessed, each drawn on its own (LOAD_DYNAMODB_FAULT_PERCENT; 0 turns it off).
   */
  dynamoDbFaultPercent: number;
}

interface Bound {
  variable: string;
  defaultValue: number;
  min: number;
  max: number;
}

const BOUNDS: Record<keyof LoadOptions, Bound> = {
  images: { variable: 'LOAD_IMAGES', defaultValue: 200, min: 1, max: 2_000 },
  concurrency: { variable: 'LOAD_CONCURRENCY', defaultValue: 200, min: 1, max: 500 },
  // Below 2, every invocation (retries included) would fail and nothing could be classified.
  faultEvery: { variable: 'LOAD_FAULT_EVERY', defaultValue: 7, min: 2, max: 1_000 },
  timeoutSeconds: { variable: 'LOAD_TIMEOUT_SECONDS', defaultValue: 600, min: 30, max: 3_600 },
  // Above half, the retry budgets (5 attempts) would give up often enough to measure the budget, not the design.
  dynamoDbFaultPercent: { variable: 'LOAD_DYNAMODB_FAULT_PERCENT', defaultValue: 10, min: 0, max: 50 },
};

/** The options, each from its variable or its default; throws naming every variable that is not a whole number in range. */
export function loadOptionsFromEnvironment(environment: NodeJS.ProcessEnv): LoadOptions {
  const problems: string[] = [];
  const read = ({ variable, defaultValue, min, max }: Bound): number => {
    const text = environment[variable];
    if (text === undefined || text === '') return defaultValue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max)
      problems.push(`${variable} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const options: LoadOptions = {
    images: read(BOUNDS.images),
    concurrency: read(BOUNDS.concurrency),
    faultEvery: read(BOUNDS.faultEvery),
    timeoutSeconds: read(BOUNDS.timeoutSeconds),
    dynamoDbFaultPercent: read(BOUNDS.dynamoDbFaultPercent),
  };
  if (problems.length > 0) throw new Error(problems.join('; '));
  return options;
}
