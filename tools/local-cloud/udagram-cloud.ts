import { groupsTableDefinition } from '@app/groups';
import { imageLabelsTableDefinition, imagesTableDefinition } from '@app/images';
import type { LocalCloudOptions } from '@dev/local-cloud';
import {
  connectionsTableDefinition,
  DEFAULT_CONNECTIONS_TABLE,
  DEFAULT_SUBSCRIPTIONS_TABLE,
  subscriptionsTableDefinition,
} from '@app/notifications';

/** What Udagram needs from a local cloud: its tables and bucket, named as the API will look for them. */
export interface UdagramCloudResources extends Pick<LocalCloudOptions, 'tables' | 'bucket'> {
  /** The names, for the API's environment. */
  env: {
    GROUPS_TABLE: string;
    IMAGES_TABLE: string;
    IMAGE_LABELS_TABLE: string;
    CONNECTIONS_TABLE: string;
    SUBSCRIPTIONS_TABLE: string;
    IMAGES_BUCKET: string;
  };
}

export function udagramCloudResources(environment: NodeJS.ProcessEnv = process.env): UdagramCloudResources {
  const env = {
    GROUPS_TABLE: environment.GROUPS_TABLE ?? 'udagram-groups',
    IMAGES_TABLE: environment.IMAGES_TABLE ?? 'udagram-group-images',
    IMAGE_LABELS_TABLE: environment.IMAGE_LABELS_TABLE ?? 'udagram-image-labels',
    CONNECTIONS_TABLE: environment.CONNECTIONS_TABLE ?? DEFAULT_CONNECTIONS_TABLE,
    SUBSCRIPTIONS_TABLE: environment.SUBSCRIPTIONS_TABLE ?? DEFAULT_SUBSCRIPTIONS_TABLE,
    IMAGES_BUCKET: environment.IMAGES_BUCKET ?? 'udagram-images',
  };
  return {
    tables: [
      groupsTableDefinition(env.GROUPS_TABLE),
      imagesTableDefinition(env.IMAGES_TABLE),
      imageLabelsTableDefinition(env.IMAGE_LABELS_TABLE),
      connectionsTableDefinition(env.CONNECTIONS_TABLE),
      subscriptionsTableDefinition(env.SUBSCRIPTIONS_TABLE),
    ],
    bucket: env.IMAGES_BUCKET,
    env,
  };
}
