import { groupImageShard } from '@app/groups';

/** The images table's key of one image: its group's write shard and its position. */
export interface ImageItemKey {
  groupShard: string;
  timestampId: string;
}

/**
 * The one place an image's table key is built from its record: every read and write that addresses an image item
 * (the API, the pipeline's workers, the migration) goes through it, so they can never disagree on the shard.
 */
export function imageItemKey(image: { groupId: string; timestampId: string }): ImageItemKey {
  return { groupShard: groupImageShard(image.groupId, image.timestampId), timestampId: image.timestampId };
}

/** The item as stored: the record with its table key. */
export function imageItem<T extends { groupId: string; timestampId: string }>(image: T): T & ImageItemKey {
  return { ...image, ...imageItemKey(image) };
}
