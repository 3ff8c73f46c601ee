import {
  ImageProcessingService,
  UNFINISHED_SHARDS,
  UNFINISHED_WORK,
  type ImageRecord,
  type UnfinishedWork,
} from '@app/images';
import { Inject, Injectable } from '@nestjs/common';
import { pipelineQueuesConfig, type PipelineQueuesConfig } from './pipeline-queues.config.js';
import { PipelineQueues, type ClassificationRequest } from './pipeline-queues.js';

export interface BackfillCounts {
  /** Classification requests queued (PENDING images with a photo, transient failures). */
  classificationsQueued: number;
  /** Thumbnail requests queued (images with a photo and no thumbnail, CLASSIFIED ones included). */
  thumbnailsQueued: number;
  /** PENDING images whose photo never came, now FAILED (UploadMissing). */
  uploadsMissing: number;
  /** PENDING images whose photo may still be on its way (younger than the maximum upload age). */
  awaitingUpload: number;
  /** Being classified right now, or taken by another run meanwhile. */
  skipped: number;
}

export type BackfillProgress = (done: number, total: number, counts: BackfillCounts, image: ImageRecord) => void;

const PAGE_SIZE = 100;

/**
 * Sends every image with work left back through the pipeline: it reads the sharded unfinished index (PENDING,
 * FAILED on a transient error, THUMBNAIL: classified without a thumbnail), all shards in parallel, and queues the
 * requests a page at a time in parallel SendMessageBatch calls; the workers' claims make a request for an image
 * already done, or being done, a no-op. A PENDING image with no photo older than the configured age ends FAILED as
 * UploadMissing, so no image stays PENDING for ever.
 */
@Injectable()
export class Backfill {
  constructor(
    private readonly images: ImageProcessingService,
    private readonly queues: PipelineQueues,
    @Inject(pipelineQueuesConfig.KEY) private readonly config: PipelineQueuesConfig,
  ) {}

  async run(onProgress: BackfillProgress = () => undefined): Promise<BackfillCounts> {
    const counts: BackfillCounts = {
      classificationsQueued: 0,
      thumbnailsQueued: 0,
      uploadsMissing: 0,
      awaitingUpload: 0,
      skipped: 0,
    };
    const lists = UNFINISHED_WORK.flatMap((work) =>
      Array.from({ length: UNFINISHED_SHARDS }, (_, shard) => ({ work, shard })),
    );
    // For the progress bar only: images may change state meanwhile, so `done` can end above or below it.
    const total = (await Promise.all(lists.map(({ work, shard }) => this.images.countUnfinished(work, shard)))).reduce(
      (a, b) => a + b,
      0,
    );
    let done = 0;
    await Promise.all(
      lists.map(async ({ work, shard }) => {
        let startKey: Record<string, string> | undefined;
        do {
          const page = await this.images.listUnfinished(work, shard, PAGE_SIZE, startKey);
          await this.revisit(work, page.images, counts);
          for (const image of page.images) onProgress(++done, total, counts, image);
          startKey = page.lastKey;
        } while (startKey !== undefined);
      }),
    );
    return counts;
  }

  private async revisit(work: UnfinishedWork, images: ImageRecord[], counts: BackfillCounts): Promise<void> {
    const classify: ClassificationRequest[] = [];
    const thumbnail: string[] = [];
    // Held by the workers' own measure: a claim older than the claim timeout belongs to a run that went silent (a crash,
    // DynamoDB failing under it) and must not keep the image from being queued again.
    const staleBefore = this.images.claimStaleBefore();
    await Promise.all(
      images.map(async (image) => {
        if (work === 'THUMBNAIL') {
          if (image.thumbnailKey === undefined) thumbnail.push(image.imageId);
          else await this.images.clearThumbnailMarker(image);
          return;
        }
        const photoSize = await this.images.photoSize(image);
        if (photoSize === undefined) {
          await this.uploadMissing(image, counts);
          return;
        }
        if (image.claimedAt !== undefined && image.claimedAt >= staleBefore) {
          counts.skipped += 1;
          return;
        }
        classify.push(
          image.claimToken === undefined
            ? { imageId: image.imageId }
            : { imageId: image.imageId, claimToken: image.claimToken },
        );
        if (image.thumbnailKey === undefined) thumbnail.push(image.imageId);
      }),
    );
    await Promise.all([this.queues.requestClassification(classify), this.queues.requestThumbnails(thumbnail)]);
    counts.classificationsQueued += classify.length;
    counts.thumbnailsQueued += thumbnail.length;
  }

  private async uploadMissing(image: ImageRecord, counts: BackfillCounts): Promise<void> {
    const ageSeconds = (Date.now() - Date.parse(image.timestamp)) / 1000;
    if (image.status !== 'PENDING' || ageSeconds < this.config.pendingUploadMaxAgeSeconds) {
      counts.awaitingUpload += 1;
      return;
    }
    const claim = await this.images.claim(image, new Date().toISOString());
    const minutes = Math.round(this.config.pendingUploadMaxAgeSeconds / 60);
    const recorded =
      typeof claim === 'object' &&
      (await this.images.recordFailure(
        claim,
        { errorType: 'UploadMissing', reason: `No photo was uploaded within ${minutes} minutes of creating the image` },
        { transient: false },
      ));
    if (recorded) counts.uploadsMissing += 1;
    else counts.skipped += 1;
  }
}
