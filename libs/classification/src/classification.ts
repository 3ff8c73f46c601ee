export interface ClassificationRequest {
  /** Where the classifier downloads the image (a presigned S3 GET URL in practice). */
  imageUrl: string;
  /** How many labels to return (the classifier's default when unset). */
  topK?: number;
  /** For the classifier's log lines (docs/OBSERVABILITY.md); ≤ 128 characters of [A-Za-z0-9._:-], else left out. */
  imageId?: string;
  correlationId?: string;
}

export interface LabelScore {
  label: string;
  /** Probability, 0 to 1. */
  confidence: number;
  /** The class index in the model's label list. */
  classId: number;
}

/** The classifier's answer: the top label, the top-K list (best first), and where the time went. */
export interface Classification {
  label: string;
  confidence: number;
  labels: LabelScore[];
  model: string;
  timings: { downloadMs: number; decodeMs: number; inferenceMs: number };
}
