import type { Classification, LabelScore } from './classification.js';

/** The classifier's success payload as a Classification, or `undefined` when it does not have that shape. */
export function parseClassification(payload: unknown): Classification | undefined {
  if (!isRecord(payload) || !isRecord(payload.timings) || !Array.isArray(payload.labels)) return undefined;
  const { label, confidence, model, timings } = payload;
  const labels = payload.labels.map(parseLabelScore);
  if (
    typeof label !== 'string' ||
    !isProbability(confidence) ||
    typeof model !== 'string' ||
    !labels.every((entry) => entry !== undefined) ||
    ![timings.downloadMs, timings.decodeMs, timings.inferenceMs].every(isDuration)
  ) {
    return undefined;
  }
  return {
    label,
    confidence,
    labels,
    model,
    timings: {
      downloadMs: timings.downloadMs as number,
      decodeMs: timings.decodeMs as number,
      inferenceMs: timings.inferenceMs as number,
    },
  };
}

/** `{errorType, errorMessage}` of a function error payload; an unreadable one is `Unknown`. */
export function parseFunctionError(payload: unknown): { errorType: string; errorMessage: string } {
  const fields = isRecord(payload) ? payload : {};
  return {
    errorType: typeof fields.errorType === 'string' ? fields.errorType : 'Unknown',
    errorMessage: typeof fields.errorMessage === 'string' ? fields.errorMessage : JSON.stringify(payload),
  };
}

function parseLabelScore(entry: unknown): LabelScore | undefined {
  if (!isRecord(entry)) return undefined;
  const { label, confidence, classId } = entry;
  if (
    typeof label !== 'string' ||
    !isProbability(confidence) ||
    !Number.isInteger(classId) ||
    (classId as number) < 0
  ) {
    return undefined;
  }
  return { label, confidence, classId: classId as number };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isProbability(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

function isDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
