import type { Image } from '../api/types';

/** A URL kept must stay valid this much longer: the browser may load it again (e.g. a lazy image scrolled in). */
const MIN_VALIDITY_MS = 5 * 60_000;

/**
 * The image as re-read, but with the photo and thumbnail URLs the page already shows when they name the same
 * objects and stay valid a while: each read presigns afresh, and a new URL would make the browser fetch the photo
 * again (a flicker) on every status change.
 */
export function keepShownUrls(shown: Image | undefined, latest: Image, now = Date.now()): Image {
  if (shown === undefined || shown.imageId !== latest.imageId) return latest;
  const imageUrl = stillGood(shown.imageUrl, latest.imageUrl, now) ? shown.imageUrl : latest.imageUrl;
  const thumbnailUrl = stillGood(shown.thumbnailUrl, latest.thumbnailUrl, now)
    ? shown.thumbnailUrl
    : latest.thumbnailUrl;
  return imageUrl === latest.imageUrl && thumbnailUrl === latest.thumbnailUrl
    ? latest
    : { ...latest, imageUrl, thumbnailUrl };
}

function stillGood(shown: string | undefined, latest: string | undefined, now: number): boolean {
  if (shown === undefined || latest === undefined) return false;
  try {
    const [before, after] = [new URL(shown), new URL(latest)];
    if (before.origin !== after.origin || before.pathname !== after.pathname) return false;
    const expiresAt = presignedExpiry(before);
    return expiresAt !== undefined && expiresAt - now > MIN_VALIDITY_MS;
  } catch {
    return false;
  }
}

/** When a SigV4 presigned URL expires: X-Amz-Date (YYYYMMDDTHHMMSSZ) + X-Amz-Expires seconds. */
function presignedExpiry(url: URL): number | undefined {
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(url.searchParams.get('X-Amz-Date') ?? '');
  const expires = Number(url.searchParams.get('X-Amz-Expires'));
  if (!date || !Number.isFinite(expires) || expires <= 0) return undefined;
  const [, year, month, day, hour, minute, second] = date.map(Number) as number[];
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) + expires * 1000;
}
