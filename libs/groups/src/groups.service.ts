import { ConflictError, ForbiddenError, NotFoundError } from '@app/errors';
import { decodePageToken, encodePageToken, FirstPageCache, type Page } from '@app/pagination';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateGroupDto } from './dto/create-group.dto.js';
import type { Group } from './group.js';
import { groupsConfig, type GroupsConfig } from './groups.config.js';
import { GroupsRepository } from './groups.repository.js';
import { GROUP_LISTING } from './groups.table.js';

/** The groups listing's page token: where the last page ended (the same attributes as before the shards). */
export const GROUP_PAGE_KEY_ATTRIBUTES = ['id', 'listing', 'timestamp'] as const;

@Injectable()
export class GroupsService {
  private readonly firstPages: FirstPageCache<Page<Group>>;

  constructor(
    private readonly repository: GroupsRepository,
    @Inject(groupsConfig.KEY) config: Pick<GroupsConfig, 'listingCacheTtlMs'>,
  ) {
    this.firstPages = new FirstPageCache(config.listingCacheTtlMs);
  }

  async create(userId: string, input: CreateGroupDto): Promise<Group> {
    const group: Group = {
      id: randomUUID(),
      userId,
      name: input.name,
      description: input.description ?? '',
      timestamp: new Date().toISOString(),
    };
    await this.repository.create(group);
    return group;
  }

  async get(groupId: string): Promise<Group> {
    const group = await this.repository.findById(groupId);
    if (group === undefined) throw new NotFoundError(`Group ${groupId} does not exist`);
    return group;
  }

  async list(limit: number, nextKey: string | undefined): Promise<Page<Group>> {
    const startKey = decodePageToken(nextKey, {
      attributes: GROUP_PAGE_KEY_ATTRIBUTES,
      fixed: { listing: GROUP_LISTING },
    });
    const load = async (): Promise<Page<Group>> => {
      const { groups, last } = await this.repository.listNewestFirst(
        limit,
        startKey && { id: startKey.id!, timestamp: startKey.timestamp! },
      );
      return {
        items: groups,
        nextKey: encodePageToken(last && { id: last.id, listing: GROUP_LISTING, timestamp: last.timestamp }),
      };
    };
    return startKey === undefined ? this.firstPages.get(`groups?limit=${limit}`, load) : load();
  }

  /**
   * Owner only; a group that still holds images is not deleted (409), so no photo is lost by accident. Race-free
   * without a counter: the mark stops new images from joining (their transaction checks it), then a consistent
   * read finds any image that joined before; only an empty, still-marked group is deleted.
   */
  async delete(userId: string, groupId: string): Promise<void> {
    const group = await this.get(groupId);
    if (group.userId !== userId) throw new ForbiddenError('Only the owner of a group may delete it');
    const mark = await this.repository.markDeleting(groupId);
    if (mark === undefined) throw new NotFoundError(`Group ${groupId} does not exist`);
    if (await this.repository.holdsImages(groupId)) {
      await this.repository.unmarkDeleting(groupId, mark);
      throw new ConflictError(`Group ${groupId} still holds images; delete them first`);
    }
    if (!(await this.repository.deleteMarked(groupId, mark))) {
      throw new ConflictError(`Group ${groupId} changed while it was being deleted; try again`);
    }
  }

  /** For the images library: a condition in the image's own transaction that the group exists and is not being deleted. */
  imageJoinCheck(groupId: string) {
    return this.repository.imageJoinCheck(groupId);
  }
}
