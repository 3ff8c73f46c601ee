import { describe, expect, it } from 'vitest';
import { fixturesDirectory } from '../test/fixtures.js';
import { loadPhotos, photoForUpload } from './load-photos.js';

describe('the load photos', () => {
  it('mix the three fixtures with one bad file in ten, the text file and the truncated JPEG in turn', async () => {
    const photos = await loadPhotos(fixturesDirectory());

    const names = Array.from({ length: 200 }, (_, index) => photoForUpload(index, photos).name);

    const counts = Object.fromEntries(
      [...new Set(names)].map((name) => [name, names.filter((other) => other === name).length]),
    );
    expect(counts).toEqual({
      'squirrel.jpg': 60,
      'camera.png': 60,
      'chelsea.png': 60,
      'text file': 10,
      'truncated JPEG': 10,
    });
    expect(names.slice(0, 10)).toEqual([
      'squirrel.jpg',
      'camera.png',
      'chelsea.png',
      'squirrel.jpg',
      'camera.png',
      'chelsea.png',
      'squirrel.jpg',
      'camera.png',
      'chelsea.png',
      'text file',
    ]);
  });

  it('expect the fixtures classified and the bad files FAILED as undecodable', async () => {
    const photos = await loadPhotos(fixturesDirectory());

    expect(photos.map(({ name, contentType, expected }) => ({ name, contentType, expected }))).toEqual([
      {
        name: 'squirrel.jpg',
        contentType: 'image/jpeg',
        expected: { status: 'CLASSIFIED', classLabel: 'fox squirrel, eastern fox squirrel, Sciurus niger' },
      },
      { name: 'camera.png', contentType: 'image/png', expected: { status: 'CLASSIFIED', classLabel: 'tripod' } },
      { name: 'chelsea.png', contentType: 'image/png', expected: { status: 'CLASSIFIED', classLabel: 'Egyptian cat' } },
      { name: 'text file', contentType: 'image/jpeg', expected: { status: 'FAILED', errorType: 'UndecodableImage' } },
      {
        name: 'truncated JPEG',
        contentType: 'image/jpeg',
        expected: { status: 'FAILED', errorType: 'UndecodableImage' },
      },
    ]);
    expect(photos[4]!.bytes).toEqual(photos[0]!.bytes.subarray(0, photos[4]!.bytes.length));
  });
});
