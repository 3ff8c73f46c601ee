import { lognormal, scaled, sum, type Distribution } from './distributions.js';

/**
 * Every service time the pipeline simulation draws from, in one place, each with where it comes from.
 *
 * "Measured here" figures come from this repository's benches on the 2-core development machine (Debian 12, shared,
 * noisy). What no machine here can measure — a call's latency inside an AWS region, Lambda's own start-up of a
 * sandbox, S3's notification delay — is an assumption, marked as such, and chosen on the slow side: the simulation
 * must show the design holds, so every guess errs against it.
 */
export interface ServiceTimeModel {
  /** Upload finished → its S3 event is a message in the queue (through the SNS fan-out to both queues). */
  s3NotificationToQueue: Distribution;
  /** One DynamoDB single-item call from the worker (Query byImageId, the claim's UpdateItem). */
  dynamoDbCall: Distribution;
  /** The worker's result write: the image and its label entries in one TransactWriteItems. */
  dynamoDbTransaction: Distribution;
  /** A synchronous Lambda Invoke's own round trip, on top of the invoked function's run. */
  lambdaInvokeOverhead: Distribution;
  /** Lambda answering TooManyRequestsException (429) when the classifier's concurrency is exhausted. */
  lambdaThrottleResponse: Distribution;
  /** The classifier on a warm sandbox: download of the photo through its presigned URL, decode, forward pass, top-5. */
  classifierWarm: Distribution;
  /** Added to classifierWarm when a new classifier sandbox is needed (container image start, model load, warm-up). */
  classifierColdStart: Distribution;
  /** Added to a worker invocation that needs a new sandbox (Node runtime, the bundle, Nest's application context). */
  workerColdStart: Distribution;
  /** The thumbnail worker per record: read the photo, resize, write the thumbnail, record it on the image. */
  thumbnailRecord: Distribution;
}

/** Local figures, as printed by the benches on the day they were measured. */
export const MEASURED_HERE = {
  /** `npm run bench:pipeline`, 2026-12-04, 50 uploads: "classifier alone (direct Invoke)" — SqueezeNet, 2 threads,
   * the Lambda emulator, the photo downloaded from the local S3 through its presigned URL. */
  classifierDirectInvoke: { p50Ms: 48.1, p95Ms: 91.8 },
  /** The same run: "end of PUT → CLASSIFIED". The difference from the line above (≈10 ms at p50) is the worker's
   * own work locally: DynamoDB Local, the S3 emulator, presigning, the notification. */
  pipelineEndToEnd: { p50Ms: 58.3, p95Ms: 137.0 },
  /** classifier-cpp/README.md "Cold start": process start → first label, 5 runs, 59.3–82.8 ms (median 65.0). */
  classifierProcessColdStart: { p50Ms: 65.0, p95Ms: 82.8 },
  /** bench/classifier/README.md, `CLASSIFIER_THREADS=1` vs default (2 threads) on the same photos:
   * 23.8 / 23.2 / 27.7 ms vs 13.1 / 14.7 / 16.5 ms. */
  oneThreadSlowdown: 1.7,
  /** README "Benchmarks", `npm run bench:cold-start`: the bundled Nest API handler's cold init to first answer,
   * 433 ms median of 10 (range 380–640 in TOOLCHAIN.md); the workers bundle the same Nest code. */
  nodeBundleColdStart: { p50Ms: 433, p95Ms: 640 },
  /** 2026-12-04, one-off: ThumbnailMaker's sharp pipeline (rotate, 256 px inside, JPEG q80 mozjpeg) on the three
   * fixture photos, 150 runs after 3 warm-up: p50 14.7 ms, p95 26.7 ms. */
  thumbnailResize: { p50Ms: 14.7, p95Ms: 26.7 },
} as const;

/**
 * Assumptions (not measurable here), each slower than AWS usually is.
 * - GoogLeNet (production) does ≈2× SqueezeNet v1.0's multiply-adds (≈1.6 G vs ≈0.85 G per image).
 * - Phone photos (≈12 MP) cost sharp ≈4× the fixtures (≤ 0.3 MP) even with JPEG shrink-on-load.
 */
export const ASSUMED = {
  googLeNetOverSqueezeNet: 2,
  phonePhotoOverFixture: 4,
  /** S3 documents event delivery "typically in seconds"; S3 → SNS → SQS is usually well under a second. */
  s3NotificationToQueue: { p50Ms: 500, p95Ms: 1500 },
  dynamoDbCall: { p50Ms: 6, p95Ms: 15 },
  dynamoDbTransaction: { p50Ms: 15, p95Ms: 40 },
  lambdaInvokeOverhead: { p50Ms: 10, p95Ms: 30 },
  lambdaThrottleResponse: { p50Ms: 5, p95Ms: 15 },
  /** Lambda's part of a container image's cold start (image fetch, sandbox), before our process starts. */
  containerPlatformColdStart: { p50Ms: 800, p95Ms: 2000 },
  /** Lambda's part of a Node zip function's cold start. */
  nodePlatformColdStart: { p50Ms: 150, p95Ms: 400 },
  s3GetPhoto: { p50Ms: 25, p95Ms: 80 },
  s3PutThumbnail: { p50Ms: 30, p95Ms: 90 },
} as const;

const fitted = (figure: { p50Ms: number; p95Ms: number }) => lognormal(figure.p50Ms, figure.p95Ms);

/** Production on one vCPU (1769 MB): the local direct invoke × one thread × GoogLeNet. The download is scaled too,
 * which overstates it (in-region S3 is at least as fast as loopback at these sizes): on the slow side, on purpose. */
const productionClassifierFactor = MEASURED_HERE.oneThreadSlowdown * ASSUMED.googLeNetOverSqueezeNet;

export const AWS_SERVICE_TIMES: ServiceTimeModel = {
  s3NotificationToQueue: fitted(ASSUMED.s3NotificationToQueue),
  dynamoDbCall: fitted(ASSUMED.dynamoDbCall),
  dynamoDbTransaction: fitted(ASSUMED.dynamoDbTransaction),
  lambdaInvokeOverhead: fitted(ASSUMED.lambdaInvokeOverhead),
  lambdaThrottleResponse: fitted(ASSUMED.lambdaThrottleResponse),
  classifierWarm: scaled(fitted(MEASURED_HERE.classifierDirectInvoke), productionClassifierFactor),
  classifierColdStart: sum(
    fitted(ASSUMED.containerPlatformColdStart),
    scaled(fitted(MEASURED_HERE.classifierProcessColdStart), productionClassifierFactor),
  ),
  workerColdStart: sum(fitted(ASSUMED.nodePlatformColdStart), fitted(MEASURED_HERE.nodeBundleColdStart)),
  thumbnailRecord: sum(
    fitted(ASSUMED.s3GetPhoto),
    scaled(fitted(MEASURED_HERE.thumbnailResize), ASSUMED.phonePhotoOverFixture),
    fitted(ASSUMED.s3PutThumbnail),
    fitted(ASSUMED.dynamoDbCall),
  ),
};
