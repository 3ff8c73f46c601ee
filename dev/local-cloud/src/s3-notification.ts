/** What the S3 emulator emits for every object created or removed: the shape of an S3 event notification. */
export interface S3Notification {
  Records: S3NotificationRecord[];
}

export interface S3NotificationRecord {
  eventVersion: string;
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; arn: string };
    object: { key: string; size?: number; eTag?: string; sequencer: string };
  };
}
