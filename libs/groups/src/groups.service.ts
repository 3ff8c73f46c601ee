import { ConflictError, ForbiddenError, NotFoundError } from '@app/errors';
import { decodePageToken, encodePageToken, type Page } from '@app/pagination';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateGroupDto } from './dto/create-group.dto.js';
import type { Group } from './group.js';
import { GROUP_PAGE_KEY_ATTRIBUTES, GroupsRepository } from './groups.repository.js';
import { GROUP_LISTING } from './groups.table.js';

@Injectable()
export class GroupsService {
  constructor(private readonly repository: GroupsRepository) {}

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
    const startKey = decodePageToken(nextKey, { attributes: GROUP_PAGE_KEY_ATTRIBUTES, fixed: { listing: GROUP_LISTING } });
    const { groups, lastKey } = await this.repository.listNewestFirst(limit, startKey);
    return { items: groups, nextKey: encodePageToken(lastKey) };
  }

  /** Owner only; a group that still holds images is not deleted (409), so no photo is lost by accident. */
  async delete(userId: string, groupId: string): Promise<void> {
    const group = await this.get(groupId);
    if (group.userId !== userId) throw new ForbiddenError('Only the owner of a group may delete it');
    const deleted = await this.repository.deleteIfEmpty(groupId);
    if (!deleted) throw new ConflictError(`Group ${groupId} still holds images; delete them first`);
  }

  /** For the images library: keeps the group's image count in the same transaction as the image itself. */
  imageCountChange(groupId: string, delta: 1 | -1) {
    return this.repository.imageCountChange(groupId, delta);
  }
}
