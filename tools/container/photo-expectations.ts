import path from 'node:path';

/** What the top-1 label of a fixture photo must be, with SqueezeNet or GoogLeNet. */
export interface LabelExpectation {
  description: string;
  matches: (label: string) => boolean;
}

/** ImageNet's domestic cat classes: either model may pick any of them for a tabby. */
export const CAT_LABELS: readonly string[] = [
  'tabby, tabby cat',
  'tiger cat',
  'Persian cat',
  'Siamese cat, Siamese',
  'Egyptian cat',
];

const KNOWN_PHOTOS: Record<string, LabelExpectation> = {
  squirrel: exactly('fox squirrel, eastern fox squirrel, Sciurus niger'),
  camera: exactly('tripod'),
  chelsea: { description: 'a cat class', matches: (label) => CAT_LABELS.includes(label) },
};

const ANY_LABEL: LabelExpectation = { description: 'any label', matches: (label) => label.length > 0 };

export const PHOTO_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp'];

/** By the photo's name without extension (`squirrel.webp` is still a squirrel); other photos need only a label. */
export function expectationFor(photoFile: string): LabelExpectation {
  const stem = path.basename(photoFile, path.extname(photoFile));
  return KNOWN_PHOTOS[stem] ?? ANY_LABEL;
}

function exactly(expected: string): LabelExpectation {
  return { description: `"${expected}"`, matches: (label) => label === expected };
}
