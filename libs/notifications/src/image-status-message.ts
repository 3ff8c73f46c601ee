/** What every connected WebSocket client receives, as JSON in a text frame, when an image's classification ends. */
export interface ImageStatusMessage {
  type: 'ImageStatusChanged';
  imageId: string;
  groupId: string;
  status: 'CLASSIFIED' | 'FAILED';
  /** The classifier's label when CLASSIFIED; null when FAILED. */
  classLabel: string | null;
}
