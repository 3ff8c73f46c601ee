import S3rver from '@20minutes/s3rver';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK } from './free-port.js';
import type { S3Notification } from './s3-notification.js';
import { startStopwatch } from './stopwatch.js';

export interface S3EmulatorOptions {
  /** Where objects are stored; a temporary directory removed at stop() when absent. */
  directory?: string;
  bucket: string;
  /** Origins allowed to PUT to presigned URLs and GET objects from a browser. */
  corsOrigins: string[];
  log: (line: string) => void;
}

export interface S3Emulator {
  endpoint: string;
  /** Emits `event` with an {@link S3Notification} for every object created or removed, presigned uploads included. */
  events: EventEmitter;
  stop(): Promise<void>;
}

/** Starts s3rver in this process on a free loopback port, with the bucket and its CORS rules in place. */
export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  const elapsed = startStopwatch();
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'udagram-s3-')));
  await mkdir(directory, { recursive: true });
  // A temporary directory goes even when the process exits without stop() (e.g. process.exit on Ctrl-C).
  const removeTemporaryDirectory = () => rmSync(directory, { recursive: true, force: true });
  if (!options.directory) process.once('exit', removeTemporaryDirectory);

  const s3rver = new S3rver({
    address: LOOPBACK,
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    // Created, or kept with its objects, before the server listens; its CORS rules are (re)applied each start.
    configureBuckets: [{ name: options.bucket, configs: [corsConfiguration(options.corsOrigins)] }],
  });
  verifyBucketRequestsOnTheSignedPath(s3rver);
  const events = new EventEmitter();
  s3rver.on('event', (notification: S3Notification) => events.emit('event', notification));
  // Client errors (403, 404…) are answers, not faults; only a failure of the emulator itself is worth a line.
  s3rver.on('error', (error: Error & { status?: number }) => {
    if ((error.status ?? 500) >= 500) options.log(`S3 emulator error: ${error.stack ?? error.message}`);
  });

  const { port } = await s3rver.run();
  const endpoint = `http://${LOOPBACK}:${port}`;
  const where = `${options.directory ? 'data' : 'temporary data'} in ${directory}`;
  options.log(`S3 emulator on ${endpoint} (bucket ${options.bucket}, ${where}) ready in ${elapsed()}`);

  return {
    endpoint,
    events,
    async stop() {
      const closed = s3rver.close();
      // close() waits for keep-alive connections (SDK clients hold some) to end by themselves.
      s3rver.httpServer?.closeAllConnections();
      await closed;
      events.removeAllListeners();
      if (!options.directory) {
        process.off('exit', removeTemporaryDirectory);
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

type KoaContext = { path: string; mountPath?: string; state: { vhost?: boolean } };
type KoaMiddleware = ((context: KoaContext, next: () => Promise<void>) => Promise<void>) & { name: string };

/**
 * The SDK sends bucket-level requests (HeadBucket, ListObjectsV2…) path-style to `/<bucket>/` and signs that path;
 * s3rver 5 rebuilds the path it verifies from the bucket name alone (`/<bucket>`), so it refuses every one of them
 * (403 SignatureDoesNotMatch). For such a request we make it rebuild `/<bucket>/` — the path actually sent — through
 * its virtual-host branch (`/<bucket>` + mount path `/`). It still verifies the signature itself.
 */
function verifyBucketRequestsOnTheSignedPath(s3rver: S3rver): void {
  const middleware = (s3rver as unknown as { middleware: KoaMiddleware[] }).middleware;
  // After s3rver's own vhost middleware, which sets state.vhost, and before its router, which authenticates.
  const vhostIndex = middleware.findIndex((fn) => fn.name === 'vhost');
  if (vhostIndex < 0) throw new Error('s3rver changed: its vhost middleware is gone; review the bucket path fix');
  const signedPath: KoaMiddleware = async function signedBucketPath(context, next) {
    if (!context.state.vhost && /^\/[^/]+\/$/.test(context.path)) {
      context.state.vhost = true;
      context.mountPath = '/';
    }
    await next();
  };
  middleware.splice(vhostIndex + 1, 0, signedPath);
}

/** Lets a browser PUT to a presigned URL with any headers, then GET the object and read its ETag. */
export function corsConfiguration(origins: string[]): string {
  const allowedOrigins = origins.map((origin) => `<AllowedOrigin>${escapeXml(origin)}</AllowedOrigin>`).join('');
  return (
    '<CORSConfiguration><CORSRule>' +
    allowedOrigins +
    '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
    '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>' +
    '</CORSRule></CORSConfiguration>'
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
