export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQueryDto } from './page-query.dto.js';
export { decodePageToken, encodePageToken, type PageKey } from './page-token.js';
export type { Page } from './page.dto.js';
export { FirstPageCache } from './first-page-cache.js';
export { newestFirstAcrossShards, shardOf, type ShardedListing, type ShardPage } from './shard-merge.js';
