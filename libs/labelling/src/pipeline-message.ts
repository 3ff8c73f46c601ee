import { createdObjectKeys, type S3EventNotification } from './s3-event.js';

/**
 * What a pipeline queue message asks for. The uploads topic delivers S3's own event (`{Records:[…]}`, raw delivery);
 * the API and the backfill send `{imageId, claimToken?}` (a re-classification carries the token it claimed with).
 */
export type PipelineTarget = { objectKey: string } | { imageId: string; claimToken?: string };

/** A message the pipeline cannot read: it is logged and deleted, never retried (it would fail the same way). */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
}

const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = /^[0-9a-f-]{36}$/;

/** The targets of one message body; [] for S3's test event; MalformedMessageError for anything else. */
export function pipelineTargets(body: string): PipelineTarget[] {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    throw new MalformedMessageError('the body is not JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    throw new MalformedMessageError('the body is not an object');
  const fields = message as Record<string, unknown>;
  if (fields.Event === 's3:TestEvent') return [];
  if (Array.isArray(fields.Records))
    return createdObjectKeys(message as S3EventNotification).map((objectKey) => ({ objectKey }));
  if (typeof fields.imageId === 'string' && IMAGE_ID.test(fields.imageId)) {
    if (fields.claimToken === undefined) return [{ imageId: fields.imageId }];
    if (typeof fields.claimToken === 'string' && TOKEN.test(fields.claimToken))
      return [{ imageId: fields.imageId, claimToken: fields.claimToken }];
    throw new MalformedMessageError('claimToken is not a token');
  }
  throw new MalformedMessageError('neither an S3 event nor an image request');
}

/** A short, safe description of a target for logs (keys are user-influenced: bounded). */
export function describeTarget(target: PipelineTarget): string {
  return 'objectKey' in target ? `object ${JSON.stringify(target.objectKey.slice(0, 120))}` : `image ${target.imageId}`;
}
