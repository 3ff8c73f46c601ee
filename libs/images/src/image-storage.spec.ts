import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageStorage } from './image-storage.js';

describe('ImageStorage', () => {
  const savedEnvironment = { ...process.env };
  const config = {
    tableName: 'images',
    labelsTableName: 'labels',
    bucket: 'udagram-images',
    uploadUrlTtlSeconds: 300,
    imageUrlTtlSeconds: 3600,
    thumbnailsCdnUrl: undefined as string | undefined,
    labelIndexMinConfidence: 0.1,
    listingCacheTtlMs: 0,
    claimTimeoutSeconds: 90,
  };
  let storage: ImageStorage;

  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
    const s3 = new S3Client({ region: 'us-east-1', requestChecksumCalculation: 'WHEN_REQUIRED' });
    storage = new ImageStorage(s3, config);
  });

  afterEach(() => {
    process.env = { ...savedEnvironment };
  });

  it('signs the content type into an upload URL when one is given', async () => {
    const url = new URL(await storage.uploadUrl('images/i1', 'image/png'));

    expect(url.pathname).toBe('/images/i1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-type');
    expect(url.searchParams.has('x-amz-checksum-crc32')).toBe(false);
  });

  it('binds no content type when none is given, so any browser upload is accepted', async () => {
    const url = new URL(await storage.uploadUrl('images/i1', undefined));

    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });

  it('makes download URLs that expire after the configured time and serve the bound type', async () => {
    const url = new URL(await storage.downloadUrl('images/i1', 'image/png'));

    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('response-content-type')).toBe('image/png');
    expect(url.searchParams.get('response-content-disposition')).toBe('inline');
  });

  it('serves an untyped upload as an opaque attachment, never as a page', async () => {
    const url = new URL(await storage.downloadUrl('images/i1'));

    expect(url.searchParams.get('response-content-type')).toBe('application/octet-stream');
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment');
  });

  it('presigns thumbnail URLs (as JPEG) when no CDN is configured', async () => {
    const url = new URL(await storage.thumbnailUrl('thumbnails/i1.jpg'));

    expect(url.pathname).toBe('/thumbnails/i1.jpg');
    expect(url.searchParams.get('response-content-type')).toBe('image/jpeg');
  });

  it('gives thumbnails a stable, unsigned URL on the CDN when there is one', async () => {
    const withCdn = new ImageStorage(new S3Client({ region: 'us-east-1' }), {
      ...config,
      thumbnailsCdnUrl: 'https://d111.cloudfront.net',
    });

    const first = await withCdn.thumbnailUrl('thumbnails/i1.jpg');

    expect(first).toBe('https://d111.cloudfront.net/thumbnails/i1.jpg');
    await expect(withCdn.thumbnailUrl('thumbnails/i1.jpg')).resolves.toBe(first);
  });
});
