import {
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION, localCredentials } from './local-account.js';
import { startS3Emulator, type S3Emulator } from './s3-emulator.js';
import type { S3Notification } from './s3-notification.js';

const BUCKET = 'spec-images';
const BROWSER_ORIGIN = 'http://localhost:5173';
const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let emulator: S3Emulator;
let s3: S3Client;

function clientFor(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: LOCAL_REGION,
    endpoint,
    credentials: localCredentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

/** A raw HTTP request, so that the test alone decides which headers are sent (fetch adds a Content-Type of its own). */
async function send(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const outgoing = request(url, { method, headers: body ? { ...headers, 'content-length': body.length } : headers });
  outgoing.end(body);
  const [response] = (await once(outgoing, 'response')) as [import('node:http').IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') };
}

function presignPut(
  key: string,
  options: { contentType?: string; bindContentType?: boolean; signingDate?: Date } = {},
) {
  return getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: options.contentType }), {
    expiresIn: 60,
    signingDate: options.signingDate,
    // The S3 presigner leaves content-type out of the signature unless told to sign it.
    signableHeaders: options.bindContentType ? new Set(['content-type']) : undefined,
  });
}

async function storedObject(key: string): Promise<{ bytes: Buffer; contentType?: string }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { bytes: Buffer.from(await object.Body!.transformToByteArray()), contentType: object.ContentType };
}

beforeAll(async () => {
  emulator = await startS3Emulator({ bucket: BUCKET, corsOrigins: ['*'], log: () => {} });
  s3 = clientFor(emulator.endpoint);
});

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

describe('the S3 emulator (s3rver 5)', () => {
  it('stores a presigned upload byte for byte and emits an S3-shaped ObjectCreated:Put notification for it', async () => {
    const key = `uploads/${randomUUID()}.png`;
    const url = await presignPut(key, { contentType: 'image/png', bindContentType: true });
    const notified = once(emulator.events, 'event') as Promise<[S3Notification]>;

    const response = await send('PUT', url, { 'content-type': 'image/png' }, PNG_BYTES);

    expect(response.status).toBe(200);
    const [notification] = await notified;
    expect(notification.Records).toHaveLength(1);
    expect(notification.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: BUCKET },
        object: { key, size: PNG_BYTES.length, eTag: createHash('md5').update(PNG_BYTES).digest('hex') },
      },
    });
    await expect(storedObject(key)).resolves.toEqual({ bytes: PNG_BYTES, contentType: 'image/png' });
  });

  it('gives the key in a notification as stored, not URL-encoded as S3 does', async () => {
    const key = `uploads/${randomUUID()} copy.png`;
    const notified = once(emulator.events, 'event') as Promise<[S3Notification]>;

    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: PNG_BYTES }));

    const [notification] = await notified;
    expect(notification.Records[0]?.s3.object.key).toBe(key);
  });

  it('lets a browser on another origin PUT to a presigned URL and read the ETag of what it GETs', async () => {
    const key = `uploads/${randomUUID()}.png`;
    await send('PUT', await presignPut(key), {}, PNG_BYTES);
    const objectUrl = `${emulator.endpoint}/${BUCKET}/${key}`;

    const preflight = await send('OPTIONS', objectUrl, {
      origin: BROWSER_ORIGIN,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    });
    const read = await send('GET', objectUrl, { origin: BROWSER_ORIGIN });

    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, PUT, HEAD');
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type');
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe('*');
    expect(read.headers['access-control-expose-headers']).toBe('ETag');
  });

  it('keeps objects in a temporary directory that it removes when stopped', async () => {
    const lines: string[] = [];
    const temporary = await startS3Emulator({ bucket: BUCKET, corsOrigins: ['*'], log: (line) => lines.push(line) });
    const directory = lines[0]!.match(/temporary data in (\S+)\)/)![1]!;
    await expect(stat(join(directory, BUCKET))).resolves.toBeTruthy();

    await temporary.stop();

    await expect(stat(directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  describe('what it verifies', () => {
    it.each([
      ['the signature is changed', (url: URL) => url.searchParams.set('X-Amz-Signature', '0'.repeat(64))],
      ['the expiry is extended', (url: URL) => url.searchParams.set('X-Amz-Expires', '3600')],
      ['the key is changed', (url: URL) => (url.pathname = url.pathname.replace('.png', '-other.png'))],
      ['a signed header is dropped', (url: URL) => url.searchParams.set('X-Amz-SignedHeaders', 'host')],
    ])('(a) refuses a presigned PUT URL when %s (403 SignatureDoesNotMatch)', async (_change, tamper) => {
      const url = new URL(
        await presignPut(`uploads/${randomUUID()}.png`, { contentType: 'image/png', bindContentType: true }),
      );
      tamper(url);

      const response = await send('PUT', url.href, { 'content-type': 'image/png' }, PNG_BYTES);

      expect(response.status).toBe(403);
      expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it.each([
      ['another content type', { 'content-type': 'image/jpeg' }],
      ['no content type', {}],
    ])('(b) refuses a URL that binds Content-Type image/png when the upload declares %s', async (_case, headers) => {
      const key = `uploads/${randomUUID()}.png`;
      const url = await presignPut(key, { contentType: 'image/png', bindContentType: true });

      const response = await send('PUT', url, headers, PNG_BYTES);

      expect(response.status).toBe(403);
      expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
      await expect(storedObject(key)).rejects.toThrow(/does not exist/);
    });

    it('(b) binds nothing when the presigner is not told to sign content-type: any type is then accepted', async () => {
      const key = `uploads/${randomUUID()}.png`;
      const url = await presignPut(key, { contentType: 'image/png', bindContentType: false });

      const response = await send('PUT', url, { 'content-type': 'image/jpeg' }, PNG_BYTES);

      expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('host');
      expect(response.status).toBe(200);
      await expect(storedObject(key)).resolves.toMatchObject({ contentType: 'image/jpeg' });
    });

    it('(c) accepts a PUT with no Content-Type header on a URL that binds none', async () => {
      const key = `uploads/${randomUUID()}.bin`;
      const url = await presignPut(key);

      const response = await send('PUT', url, {}, PNG_BYTES);

      expect(response.status).toBe(200);
      await expect(storedObject(key)).resolves.toEqual({ bytes: PNG_BYTES, contentType: 'binary/octet-stream' });
    });

    it('(d) refuses a presigned URL once it has expired (403 AccessDenied)', async () => {
      const twoMinutesAgo = new Date(Date.now() - 120_000);
      const url = await presignPut(`uploads/${randomUUID()}.png`, { signingDate: twoMinutesAgo });

      const response = await send('PUT', url, {}, PNG_BYTES);

      expect(response.status).toBe(403);
      expect(response.body).toContain('<Code>AccessDenied</Code>');
      expect(response.body).toContain('Request has expired');
    });

    it('answers bucket-level requests the SDK signs for /<bucket>/ (s3rver alone refuses them all)', async () => {
      const key = `listed/${randomUUID()}.txt`;
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));

      const head = await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
      const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'listed/' }));

      expect(head.$metadata.httpStatusCode).toBe(200);
      expect(listing.Contents?.map((object) => object.Key)).toEqual([key]);
      await expect(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    });

    it.each([
      ['HeadBucket', new HeadBucketCommand({ Bucket: BUCKET })],
      ['ListObjectsV2', new ListObjectsV2Command({ Bucket: BUCKET })],
    ])('still refuses a bucket-level %s signed with another secret (403)', async (_name, command) => {
      const impostor = clientFor(emulator.endpoint, { credentials: { ...localCredentials, secretAccessKey: 'guess' } });

      await expect(impostor.send(command as HeadBucketCommand)).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
      });
      impostor.destroy();
    });

    it.each([
      ['another secret', { ...localCredentials, secretAccessKey: 'guess' }, 'SignatureDoesNotMatch'],
      ['an unknown access key id', { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'S3RVER' }, 'InvalidAccessKeyId'],
    ])('refuses a request signed with %s (403)', async (_case, credentials, code) => {
      const impostor = clientFor(emulator.endpoint, { credentials });

      const upload = impostor.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `${randomUUID()}.png`, Body: PNG_BYTES }),
      );

      await expect(upload).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 403 } });
      impostor.destroy();
    });
  });

  // Each of these would be refused by S3. They are written down so that nobody counts on the local S3 for them.
  describe('what it does not verify', () => {
    it('accepts an unsigned, anonymous PUT (S3 refuses it: the bucket is private)', async () => {
      const key = `uploads/${randomUUID()}.png`;

      const response = await send('PUT', `${emulator.endpoint}/${BUCKET}/${key}`, {}, PNG_BYTES);

      expect(response.status).toBe(200);
      await expect(storedObject(key)).resolves.toMatchObject({ bytes: PNG_BYTES });
    });

    it('does not compare the body with the signed x-amz-content-sha256 (S3: XAmzContentSHA256Mismatch)', async () => {
      const key = `uploads/${randomUUID()}.txt`;
      const swapper = clientFor(emulator.endpoint);
      // After signing, replace the body with other bytes of the same length.
      swapper.middlewareStack.add(
        (next) => (args) => {
          (args.request as { body: unknown }).body = 'tampered';
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low' },
      );

      await swapper.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'original' }));

      await expect(storedObject(key)).resolves.toMatchObject({ bytes: Buffer.from('tampered') });
      swapper.destroy();
    });

    it('accepts a header-signed request dated 20 minutes ago (S3: RequestTimeTooSkewed)', async () => {
      // s3rver parses x-amz-date into an invalid Date, and its 15-minute comparison with NaN never fails.
      const skewed = clientFor(emulator.endpoint, { systemClockOffset: -20 * 60_000, maxAttempts: 1 });
      let sentDate = '';
      skewed.middlewareStack.add(
        (next) => (args) => {
          sentDate = (args.request as { headers: Record<string, string> }).headers['x-amz-date'] ?? '';
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low' },
      );

      const upload = skewed.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${randomUUID()}.txt`, Body: 'x' }));

      await expect(upload).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      const sentAt = Date.parse(
        sentDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
      );
      expect(Date.now() - sentAt).toBeGreaterThan(19 * 60_000);
      skewed.destroy();
    });

    it('does not check Content-MD5 (S3: BadDigest)', async () => {
      const key = `uploads/${randomUUID()}.txt`;
      const md5OfSomethingElse = createHash('md5').update('something else').digest('base64');

      const upload = s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'body', ContentMD5: md5OfSomethingElse }),
      );

      await expect(upload).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    });

    it('accepts a signature scoped to another region (S3: AuthorizationHeaderMalformed)', async () => {
      const elsewhere = clientFor(emulator.endpoint, { region: 'eu-west-1' });

      const upload = elsewhere.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${randomUUID()}.txt`, Body: 'x' }));

      await expect(upload).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      elsewhere.destroy();
    });
  });
});
