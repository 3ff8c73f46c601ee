/**
 * The searchable words of a set of labels: lower-cased, split on anything that is not a letter or digit, so
 * "dalmatian, coach dog, carriage dog" yields dalmatian, coach, dog, carriage. Sorted and unique.
 */
export function labelWords(labels: readonly string[]): string[] {
  const words = new Set<string>();
  for (const label of labels) {
    for (const word of label.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (word.length > 0) words.add(word);
    }
  }
  return [...words].sort();
}

/** A search term is one such word; anything else cannot match and is refused. */
export const LABEL_WORD_PATTERN = /^[\p{L}\p{N}]{1,64}$/u;

/**
 * The labels whose words go into the search index: the top label always (every classified image is found by what
 * it was classified as), the others only with at least `minConfidence` (LABEL_INDEX_MIN_CONFIDENCE).
 */
export function indexedLabels<T extends { label: string; confidence: number }>(
  labels: readonly T[],
  minConfidence: number,
): string[] {
  return labels.filter((label, rank) => rank === 0 || label.confidence >= minConfidence).map((label) => label.label);
}
