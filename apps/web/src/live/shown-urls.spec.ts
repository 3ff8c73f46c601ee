import { describe, expect, it } from 'vitest';
import type { Image } from '../api/types';
import { keepShownUrls } from './shown-urls';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const presigned = (path: string, signedAt: string, expires = 3600) =>
  `http://127.0.0.1:4569/udagram-images/${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${signedAt}&X-Amz-Expires=${expires}&X-Amz-Signature=${signedAt}`;

function image(overrides: Partial<Image>): Image {
  return {
    imageId: 'i1',
    groupId: 'g1',
    title: 'Squirrel',
    timestamp: '2026-12-04T11:59:00.000Z',
    userId: 'alice',
    status: 'PENDING',
    imageUrl: presigned('images/i1', '20261204T115900Z'),
    ...overrides,
  } as Image;
}

describe('keepShownUrls', () => {
  it('keeps the shown photo URL for the same object, so the browser does not fetch it again', () => {
    const shown = image({});
    const latest = image({
      status: 'CLASSIFIED',
      classLabel: 'fox squirrel',
      imageUrl: presigned('images/i1', '20261204T120000Z'),
    });

    expect(keepShownUrls(shown, latest, NOW)).toEqual({ ...latest, imageUrl: shown.imageUrl });
  });

  it('takes the new URL when the shown one expires within five minutes', () => {
    const shown = image({ imageUrl: presigned('images/i1', '20261204T110400Z') });
    const latest = image({ imageUrl: presigned('images/i1', '20261204T120000Z') });

    expect(keepShownUrls(shown, latest, NOW)).toBe(latest);
  });

  it('takes a new thumbnail, another object, another image, or a URL it cannot read', () => {
    const shown = image({});
    const withThumbnail = image({ thumbnailUrl: presigned('thumbnails/i1.jpg', '20261204T120000Z') });

    expect(keepShownUrls(shown, withThumbnail, NOW).thumbnailUrl).toBe(withThumbnail.thumbnailUrl);
    expect(
      keepShownUrls(shown, image({ imageUrl: presigned('images/other', '20261204T120000Z') }), NOW).imageUrl,
    ).toContain('images/other');
    expect(
      keepShownUrls(shown, image({ imageId: 'i2', imageUrl: presigned('images/i1', '20261204T120000Z') }), NOW)
        .imageUrl,
    ).toContain('T120000Z');
    expect(keepShownUrls(image({ imageUrl: 'not a url' }), image({}), NOW).imageUrl).toBe(image({}).imageUrl);
    expect(keepShownUrls(undefined, shown, NOW)).toBe(shown);
  });
});
