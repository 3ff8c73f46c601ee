/** The statuses a client is told about: a result (CLASSIFIED, FAILED), or PENDING again when re-classification starts. */
export type AnnouncedStatus = 'PENDING' | 'CLASSIFIED' | 'FAILED';

/** What a WebSocket client watching the image's group receives, as JSON in a text frame, when the image's status changes. */
export interface ImageStatusMessage {
  type: 'ImageStatusChanged';
  imageId: string;
  groupId: string;
  status: AnnouncedStatus;
  /** The classifier's label when CLASSIFIED; null otherwise. */
  classLabel: string | null;
  /** The correlation id of the request that created the image, when it has one (docs/OBSERVABILITY.md). */
  correlationId?: string;
}
