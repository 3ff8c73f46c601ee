export { GroupIdParams } from './dto/group-id.params.js';
export type { Group } from './group.js';
export { groupsConfig, type GroupsConfig } from './groups.config.js';
export { GroupsModule } from './groups.module.js';
export { GroupsService } from './groups.service.js';
export { groupsTableDefinition } from './groups.table.js';
export { GROUP_LISTING_SHARDS, groupListingShard } from './groups.table.js';
export { GROUP_IMAGE_SHARDS, groupImageShard, groupImageShards, groupOfImageShard } from './group-image-shards.js';
