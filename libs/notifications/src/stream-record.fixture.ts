import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

type Image = Record<string, unknown>;

/** A stream record of the images table as Lambda delivers it (NEW_AND_OLD_IMAGES), for specs. */
export function imageStreamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { old?: Image; new?: Image },
  sequenceNumber = '100',
): DynamoDBRecord {
  const image = (value: Image | undefined) =>
    value === undefined ? undefined : (marshall(value) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage']);
  return {
    eventID: `event-${sequenceNumber}`,
    eventName,
    eventSource: 'aws:dynamodb',
    eventVersion: '1.1',
    awsRegion: 'eu-west-1',
    dynamodb: {
      Keys: { groupId: { S: String((images.new ?? images.old)?.groupId) }, timestampId: { S: 't#1' } },
      ...(images.old ? { OldImage: image(images.old) } : {}),
      ...(images.new ? { NewImage: image(images.new) } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: 200,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

export function image(status: string, extra: Image = {}): Image {
  return { groupId: 'group-1', timestampId: 't#1', imageId: 'image-1', title: 'Squirrel', status, ...extra };
}
