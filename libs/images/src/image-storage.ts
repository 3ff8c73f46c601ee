import { rethrowDependencyFailure } from '@app/aws';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Inject, Injectable } from '@nestjs/common';
import type { ImageContentType } from './image.js';
import { imagesConfig, type ImagesConfig } from './images.config.js';

/** The photos' bytes in S3: the API never proxies them, it hands out short-lived presigned URLs. */
@Injectable()
export class ImageStorage {
  constructor(
    @Inject(S3Client) private readonly s3: S3Client,
    @Inject(imagesConfig.KEY) private readonly config: ImagesConfig,
  ) {}

  /** A PUT URL; with a content type it is part of the signature, so an upload with another type is refused. */
  uploadUrl(objectKey: string, contentType: ImageContentType | undefined): Promise<string> {
    const command = new PutObjectCommand({ Bucket: this.config.bucket, Key: objectKey, ContentType: contentType });
    return getSignedUrl(this.s3, command, {
      expiresIn: this.config.uploadUrlTtlSeconds,
      // The presigner leaves Content-Type unsigned unless told otherwise, which would let any type through.
      signableHeaders: contentType === undefined ? undefined : new Set(['content-type']),
    });
  }

  /**
   * A GET URL whose response type is fixed by the signature: the type the upload URL bound, else an opaque type
   * served as an attachment — so an untyped upload of HTML can never be served as a page from the bucket (an
   * `<img>` still shows a real photo whatever the type says).
   */
  downloadUrl(objectKey: string, contentType?: string): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: objectKey,
      ResponseContentType: contentType ?? 'application/octet-stream',
      ResponseContentDisposition: contentType === undefined ? 'attachment' : 'inline',
    });
    return getSignedUrl(this.s3, command, { expiresIn: this.config.imageUrlTtlSeconds });
  }

  /**
   * A thumbnail's URL: on the CDN when there is one — the same URL for every response, so edges and browsers cache
   * it (the pipeline writes every thumbnail as JPEG under a key of its own image, never rewritten) — else presigned.
   */
  thumbnailUrl(thumbnailKey: string): Promise<string> {
    const cdn = this.config.thumbnailsCdnUrl;
    if (cdn === undefined) return this.downloadUrl(thumbnailKey, 'image/jpeg');
    return Promise.resolve(
      new URL(thumbnailKey.split('/').map(encodeURIComponent).join('/'), cdn.endsWith('/') ? cdn : `${cdn}/`).href,
    );
  }

  /** The object's size in bytes, or undefined when nothing was uploaded under that key. */
  async sizeOf(objectKey: string): Promise<number | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: objectKey }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (error instanceof NotFound) return undefined;
      return rethrowDependencyFailure('S3')(error);
    }
  }

  async read(objectKey: string): Promise<Uint8Array> {
    const object = await this.s3
      .send(new GetObjectCommand({ Bucket: this.config.bucket, Key: objectKey }))
      .catch(rethrowDependencyFailure('S3'));
    return object.Body!.transformToByteArray();
  }

  /** The photo uploaded through the API: the same object, with the same type, as a PUT to the presigned URL writes. */
  async writePhoto(objectKey: string, bytes: Uint8Array, contentType: ImageContentType): Promise<void> {
    await this.s3
      .send(new PutObjectCommand({ Bucket: this.config.bucket, Key: objectKey, Body: bytes, ContentType: contentType }))
      .catch(rethrowDependencyFailure('S3'));
  }

  async writeJpeg(objectKey: string, bytes: Uint8Array): Promise<void> {
    await this.s3
      .send(
        new PutObjectCommand({ Bucket: this.config.bucket, Key: objectKey, Body: bytes, ContentType: 'image/jpeg' }),
      )
      .catch(rethrowDependencyFailure('S3'));
  }

  /** One page (up to 1,000) of the objects under `prefix` (after `startAfter`, in key order), with when each was last written. */
  async listPage(prefix: string, continuationToken: string | undefined, startAfter?: string) {
    const { Contents = [], NextContinuationToken } = await this.s3
      .send(
        new ListObjectsV2Command({
          Bucket: this.config.bucket,
          Prefix: prefix,
          ContinuationToken: continuationToken,
          StartAfter: startAfter,
        }),
      )
      .catch(rethrowDependencyFailure('S3'));
    const objects = Contents.flatMap(({ Key, LastModified }) =>
      Key === undefined ? [] : [{ key: Key, lastModified: LastModified ?? new Date(0) }],
    );
    return { objects, continuationToken: NextContinuationToken };
  }

  /** Idempotent: deleting an object that was never uploaded succeeds. */
  async delete(objectKey: string): Promise<void> {
    await this.s3
      .send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: objectKey }))
      .catch(rethrowDependencyFailure('S3'));
  }
}
