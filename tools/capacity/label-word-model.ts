import { readFileSync } from 'node:fs';
import type { ImageClassification, ImageLabel } from '@app/images';
import { FIXTURE_TOP5 } from './fixture-top5.js';

/** ImageNet ids of the classes people photograph most in a photo-sharing app: dogs (151–268) and cats (281–285). */
const DOG_CLASSES = { first: 151, last: 268 };
const CAT_CLASSES = { first: 281, last: 285 };
/** Assumed share of uploads whose top-1 class is a dog, a cat, anything else (uniform over the other classes). */
export const TOP1_MIX = { dog: 0.4, cat: 0.1 } as const;

interface Profile {
  /** Class id offsets of ranks 2–5 from the top-1 class, as the model produced them on a real photo. */
  offsets: number[];
  confidences: number[];
}

/**
 * Synthetic top-5 outputs shaped like the model's real ones. The real outputs on the fixture photos
 * (fixture-top5.ts) give, per photo, the confidences by rank and where ranks 2–5 sit relative to the top-1
 * class (near neighbours for the squirrel and the cat, unrelated classes for the camera). An upload draws a top-1
 * class from TOP1_MIX and one of those profiles; its labels are the model's class names (classes.txt) at the
 * profile's offsets, with the profile's confidences. Label words then come out of the same labelWords() as in
 * production, so a word's frequency follows the class names (e.g. "dog", "terrier" over many breeds).
 */
export class LabelWordModel {
  private readonly classes: string[];
  private readonly profiles: Profile[];

  constructor(
    classesFile: string,
    private readonly random: () => number,
  ) {
    this.classes = readFileSync(classesFile, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    if (this.classes.length !== 1000)
      throw new Error(`${classesFile}: expected the model's 1000 classes, read ${this.classes.length}`);
    this.profiles = Object.values(FIXTURE_TOP5).map((ranks) => ({
      offsets: ranks.slice(1).map(([classId]) => classId! - ranks[0]![0]!),
      confidences: ranks.map(([, confidence]) => confidence!),
    }));
  }

  next(): ImageClassification {
    const top1 = this.drawTop1();
    const profile = this.profiles[Math.floor(this.random() * this.profiles.length)]!;
    const classIds = [top1, ...profile.offsets.map((offset) => (top1 + offset + 1000) % 1000)];
    const labels: ImageLabel[] = classIds.map((classId, rank) => ({
      label: this.classes[classId]!,
      confidence: profile.confidences[rank]!,
      classId,
    }));
    return { classLabel: labels[0]!.label, confidence: labels[0]!.confidence, labels, model: 'squeezenet_v1.0_dc' };
  }

  private drawTop1(): number {
    const draw = this.random();
    const within = ({ first, last }: { first: number; last: number }) =>
      first + Math.floor(this.random() * (last - first + 1));
    if (draw < TOP1_MIX.dog) return within(DOG_CLASSES);
    if (draw < TOP1_MIX.dog + TOP1_MIX.cat) return within(CAT_CLASSES);
    for (;;) {
      const classId = Math.floor(this.random() * 1000);
      if (classId < DOG_CLASSES.first || classId > CAT_CLASSES.last) return classId;
    }
  }
}

/** Zipf(s) over n ranks: rank 0 is the most popular. */
export function zipfSampler(n: number, exponent: number, random: () => number): () => number {
  const weights = Array.from({ length: n }, (_, rank) => 1 / (rank + 1) ** exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, weight, rank) => (cumulative[rank] = sum + weight / total), 0);
  return () => {
    const draw = random();
    const rank = cumulative.findIndex((edge) => draw <= edge);
    return rank === -1 ? n - 1 : rank;
  };
}
