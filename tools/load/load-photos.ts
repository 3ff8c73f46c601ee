import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** How an upload must end once the pipeline (and the backfill) are done with it. */
export type ExpectedOutcome = { status: 'CLASSIFIED'; classLabel: string } | { status: 'FAILED'; errorType: string };

export interface LoadPhoto {
  name: string;
  bytes: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  expected: ExpectedOutcome;
}

/** The fixtures' top-1 labels with the local SqueezeNet model (../shared/fixtures/README.md). */
const FIXTURES = [
  { name: 'squirrel.jpg', contentType: 'image/jpeg', classLabel: 'fox squirrel, eastern fox squirrel, Sciurus niger' },
  { name: 'camera.png', contentType: 'image/png', classLabel: 'tripod' },
  { name: 'chelsea.png', contentType: 'image/png', classLabel: 'Egyptian cat' },
] as const;

const UNDECODABLE: ExpectedOutcome = { status: 'FAILED', errorType: 'UndecodableImage' };

/** The three fixture photos, then the two bad files: a text file and a JPEG cut in half, both sent as image/jpeg. */
export async function loadPhotos(fixturesDirectory: string): Promise<LoadPhoto[]> {
  const photos: LoadPhoto[] = await Promise.all(
    FIXTURES.map(async ({ name, contentType, classLabel }) => ({
      name,
      bytes: await readFile(path.join(fixturesDirectory, name)),
      contentType,
      expected: { status: 'CLASSIFIED', classLabel },
    })),
  );
  const squirrel = photos[0]!.bytes;
  return [
    ...photos,
    {
      name: 'text file',
      bytes: Buffer.from('this is not a photo\n'),
      contentType: 'image/jpeg',
      expected: UNDECODABLE,
    },
    {
      name: 'truncated JPEG',
      bytes: squirrel.subarray(0, squirrel.length >> 1),
      contentType: 'image/jpeg',
      expected: UNDECODABLE,
    },
  ];
}

/** Upload n's photo: every 10th is a bad file (the text file and the truncated JPEG in turn), the rest cycle the fixtures. */
export function photoForUpload(index: number, photos: readonly LoadPhoto[]): LoadPhoto {
  const fixtureCount = photos.length - 2;
  if (index % 10 === 9) return photos[fixtureCount + (index % 20 === 9 ? 0 : 1)]!;
  return photos[index % fixtureCount]!;
}
