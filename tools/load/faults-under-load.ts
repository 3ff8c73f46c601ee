/**
 * `npm run load:faults`: creates and uploads LOAD_IMAGES images (default 200) through the API, LOAD_CONCURRENCY at
 * once (default 200: all), on a local system with its data in a temporary directory, while the classifier crashes,
 * times out and throttles (every LOAD_FAULT_EVERY-th invocation) and DynamoDB Local restarts once; then runs the
 * backfill and checks that nothing was lost or duplicated. Prints the counts; exits 1 on any violation, 2 when the
 * run itself fails or overruns LOAD_TIMEOUT_SECONDS. Loopback only. VERBOSE=1 prints the system's own lines too.
 */
import { formatReport } from './format-report.js';
import { loadOptionsFromEnvironment } from './load-options.js';
import { runFaultsUnderLoad } from './run-faults-under-load.js';
import { violationsOf } from './verdict.js';

// After the deadline, the run gets this long to clean up before the process exits anyway (Java and the classifier
// runtimes die with it; only the temporary directory may stay).
const CLEAN_UP_GRACE_MS = 30_000;

const options = loadOptionsFromEnvironment(process.env);
const verbose = process.env.VERBOSE !== undefined;
const deadline = AbortSignal.timeout(options.timeoutSeconds * 1000);
deadline.addEventListener('abort', () => {
  console.error(`Load run: over its ${options.timeoutSeconds} s limit; stopping.`);
  setTimeout(() => process.exit(2), CLEAN_UP_GRACE_MS).unref();
});

try {
  const report = await runFaultsUnderLoad({
    ...options,
    log: (line) => console.error(line),
    detail: (line) => verbose && console.error(line),
    signal: deadline,
  });
  const violations = violationsOf(report);
  console.log(formatReport(report, violations));
  process.exit(violations.length === 0 ? 0 : 1);
} catch (error) {
  console.error('Load run failed:', error);
  process.exit(2);
}
