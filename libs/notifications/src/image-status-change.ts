import { isCorrelationId } from '@app/observability';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { AnnouncedStatus, ImageStatusMessage } from './image-status-message.js';

type StreamImage = Record<string, StreamAttributeValue>;

/** A Lambda event filter pattern (EventBridge syntax): an object tree whose leaves list the accepted values. */
export type StreamFilterPattern = { [field: string]: StreamFilterPattern | readonly unknown[] };

/**
 * The images table's stream records worth announcing, as Lambda event filter patterns (any one matches): a result
 * (CLASSIFIED or FAILED) that is new, or PENDING again after a result (re-classification started). The stream's
 * other records — a new PENDING image, a claim, a thumbnail, a delete — never invoke the notifier. serverless.ts
 * declares these on the event source mapping; the local stream poller applies the same patterns.
 */
export const IMAGE_STATUS_FILTER_PATTERNS: readonly StreamFilterPattern[] = [
  ...(['CLASSIFIED', 'FAILED'] as const).map((status) => ({
    eventName: ['MODIFY'],
    dynamodb: { NewImage: { status: { S: [status] } }, OldImage: { status: { S: [{ 'anything-but': [status] }] } } },
  })),
  {
    eventName: ['MODIFY'],
    dynamodb: { NewImage: { status: { S: ['PENDING'] } }, OldImage: { status: { S: ['CLASSIFIED', 'FAILED'] } } },
  },
  // An image written whole with its result (a restore, a migration).
  { eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['CLASSIFIED', 'FAILED'] } } } },
];

/**
 * The message a stream record announces, or undefined when it announces nothing. The same rule as the filter
 * patterns, checked again here: a record that reaches the handler by any other way is still judged exactly.
 */
export function statusMessageOf(record: DynamoDBRecord): ImageStatusMessage | undefined {
  if (record.eventName !== 'MODIFY' && record.eventName !== 'INSERT') return undefined;
  const newImage = imageOf(record.dynamodb?.NewImage);
  if (newImage === undefined || !isAnnounced(newImage.status)) return undefined;
  const oldStatus = imageOf(record.dynamodb?.OldImage)?.status;
  if (oldStatus === newImage.status) return undefined;
  if (newImage.status === 'PENDING' && oldStatus !== 'CLASSIFIED' && oldStatus !== 'FAILED') return undefined;
  const { imageId, groupId, status, classLabel, correlationId } = newImage;
  if (typeof imageId !== 'string' || typeof groupId !== 'string') return undefined;
  return {
    type: 'ImageStatusChanged',
    imageId,
    groupId,
    status,
    classLabel: status === 'CLASSIFIED' && typeof classLabel === 'string' ? classLabel : null,
    ...(isCorrelationId(correlationId) ? { correlationId } : {}),
  };
}

function imageOf(image: StreamImage | undefined): Record<string, unknown> | undefined {
  // The stream's attribute values have the SDK's wire shape; unmarshall's types are the SDK's.
  return image === undefined ? undefined : unmarshall(image as Parameters<typeof unmarshall>[0]);
}

function isAnnounced(status: unknown): status is AnnouncedStatus {
  return status === 'PENDING' || status === 'CLASSIFIED' || status === 'FAILED';
}
