import { ImageProcessingService, type ImageRecord } from '@app/images';
import { Inject, Injectable } from '@nestjs/common';
import { ImageLabeller, type LabellingOutcome } from './image-labeller.js';
import { labellingConfig, type LabellingConfig } from './labelling.config.js';
import { ThumbnailMaker } from './thumbnail-maker.js';

export interface BackfillCounts {
  classified: number;
  failed: number;
  /** PENDING images whose photo may still be on its way (younger than the maximum upload age). */
  awaitingUpload: number;
  /** Taken by another run meanwhile. */
  skipped: number;
}

export type BackfillProgress = (done: number, total: number, counts: BackfillCounts, image: ImageRecord) => void;

const PAGE_SIZE = 25;

/**
 * Re-runs classification for every PENDING and FAILED image, and makes its thumbnail if it has none (the upload
 * handler's run that should have made it failed, e.g. with DynamoDB down). A PENDING image with no photo older
 * than the configured age ends FAILED as UploadMissing, so no image stays PENDING for ever.
 */
@Injectable()
export class Backfill {
  constructor(
    private readonly images: ImageProcessingService,
    private readonly labeller: ImageLabeller,
    private readonly thumbnails: ThumbnailMaker,
    @Inject(labellingConfig.KEY) private readonly config: LabellingConfig,
  ) {}

  async run(onProgress: BackfillProgress = () => undefined): Promise<BackfillCounts> {
    const counts: BackfillCounts = { classified: 0, failed: 0, awaitingUpload: 0, skipped: 0 };
    let done = 0;
    // For the progress bar only: images may change state meanwhile, so `done` can end above or below it.
    const total = (await this.images.countUnfinished('PENDING')) + (await this.images.countUnfinished('FAILED'));
    for (const status of ['PENDING', 'FAILED'] as const) {
      let startKey: Record<string, string> | undefined;
      do {
        const page = await this.images.listUnfinished(status, PAGE_SIZE, startKey);
        for (const image of page.images) {
          count(counts, await this.revisit(image));
          onProgress(++done, total, counts, image);
        }
        startKey = page.lastKey;
      } while (startKey !== undefined);
    }
    return counts;
  }

  private async revisit(image: ImageRecord): Promise<LabellingOutcome | 'AWAITING_UPLOAD'> {
    if ((await this.images.photoSize(image)) !== undefined) {
      const outcome = await this.labeller.label(image, { force: true });
      if (image.thumbnailKey === undefined) await this.thumbnails.make(image);
      return outcome;
    }
    const ageSeconds = (Date.now() - Date.parse(image.timestamp)) / 1000;
    if (image.status === 'FAILED') return 'FAILED';
    if (ageSeconds < this.config.pendingUploadMaxAgeSeconds) return 'AWAITING_UPLOAD';
    const claim = await this.images.claim(image, { force: false, staleBefore: new Date().toISOString() });
    if (claim === undefined) return 'SKIPPED';
    const minutes = Math.round(this.config.pendingUploadMaxAgeSeconds / 60);
    const recorded = await this.labeller.fail(claim, {
      errorType: 'UploadMissing',
      reason: `No photo was uploaded within ${minutes} minutes of creating the image`,
    });
    return recorded ? 'FAILED' : 'SKIPPED';
  }
}

function count(counts: BackfillCounts, outcome: LabellingOutcome | 'AWAITING_UPLOAD'): void {
  if (outcome === 'CLASSIFIED') counts.classified += 1;
  else if (outcome === 'FAILED') counts.failed += 1;
  else if (outcome === 'AWAITING_UPLOAD') counts.awaitingUpload += 1;
  else counts.skipped += 1;
}
