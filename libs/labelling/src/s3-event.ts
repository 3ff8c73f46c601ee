/** The part of an S3 event notification the pipeline reads (AWS and the local S3 emulator send the same shape). */
export interface S3EventNotification {
  Records?: {
    eventName?: string;
    s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number } };
  }[];
}

/** Object keys as S3 events carry them: URL-encoded, with spaces as '+'. */
export function createdObjectKeys(event: S3EventNotification): string[] {
  return (event.Records ?? [])
    .filter(
      (record) => record.eventName?.startsWith('ObjectCreated') === true && typeof record.s3?.object?.key === 'string',
    )
    .map((record) => decodeURIComponent(record.s3!.object!.key!.replace(/\+/g, ' ')));
}
