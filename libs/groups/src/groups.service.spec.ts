import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '@app/errors';
import { Test } from '@nestjs/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupsRepository } from './groups.repository.js';
import { groupsConfig } from './groups.config.js';
import { GroupsService } from './groups.service.js';

const group = { id: 'g1', userId: 'alice', name: 'Dogs', description: '', timestamp: '2026-11-26T07:00:00.000Z' };

describe('GroupsService', () => {
  const repository = {
    create: vi.fn(),
    findById: vi.fn(),
    listNewestFirst: vi.fn(),
    markDeleting: vi.fn(),
    holdsImages: vi.fn(),
    unmarkDeleting: vi.fn(),
    deleteMarked: vi.fn(),
  };
  let service: GroupsService;

  beforeEach(async () => {
    vi.resetAllMocks();
    const moduleRef = await Test.createTestingModule({
      providers: [
        GroupsService,
        { provide: GroupsRepository, useValue: repository },
        { provide: groupsConfig.KEY, useValue: { listingCacheTtlMs: 0 } },
      ],
    }).compile();
    service = moduleRef.get(GroupsService);
  });

  it('creates a group owned by the caller with an empty description by default', async () => {
    const created = await service.create('alice', { name: 'Dogs' });

    expect(created).toEqual({
      id: expect.any(String),
      userId: 'alice',
      name: 'Dogs',
      description: '',
      timestamp: expect.any(String),
    });
    expect(repository.create).toHaveBeenCalledWith(created);
  });

  it('says which group does not exist', async () => {
    repository.findById.mockResolvedValue(undefined);

    await expect(service.get('g404')).rejects.toThrow(new NotFoundError('Group g404 does not exist'));
  });

  it('refuses a paging token that is not one of the groups listing', async () => {
    const foreignToken = Buffer.from(JSON.stringify({ groupId: 'g1', timestampId: 't' })).toString('base64url');

    await expect(service.list(20, foreignToken)).rejects.toThrow(InvalidInputError);
    expect(repository.listNewestFirst).not.toHaveBeenCalled();
  });

  it('lets only the owner delete a group', async () => {
    repository.findById.mockResolvedValue(group);

    await expect(service.delete('mallory', 'g1')).rejects.toThrow(ForbiddenError);
    expect(repository.markDeleting).not.toHaveBeenCalled();
  });

  it('refuses to delete a group that still holds images, and lets images join it again', async () => {
    repository.findById.mockResolvedValue(group);
    repository.markDeleting.mockResolvedValue('mark');
    repository.holdsImages.mockResolvedValue(true);

    await expect(service.delete('alice', 'g1')).rejects.toThrow(ConflictError);
    expect(repository.unmarkDeleting).toHaveBeenCalledWith('g1', 'mark');
    expect(repository.deleteMarked).not.toHaveBeenCalled();
  });

  it('marks the group (no image may join) before it checks that it is empty, then deletes it under that mark', async () => {
    repository.findById.mockResolvedValue(group);
    repository.markDeleting.mockResolvedValue('mark');
    repository.holdsImages.mockResolvedValue(false);
    repository.deleteMarked.mockResolvedValue(true);

    await service.delete('alice', 'g1');

    expect(repository.markDeleting.mock.invocationCallOrder[0]).toBeLessThan(
      repository.holdsImages.mock.invocationCallOrder[0]!,
    );
    expect(repository.deleteMarked).toHaveBeenCalledWith('g1', 'mark');
  });

  it('pages the listing with a token of the last group’s position and serves it back', async () => {
    repository.listNewestFirst.mockResolvedValue({ groups: [group], last: { id: 'g1', timestamp: group.timestamp } });

    const page = await service.list(1, undefined);
    await service.list(1, page.nextKey);

    expect(page).toEqual({ items: [group], nextKey: expect.any(String) });
    expect(repository.listNewestFirst).toHaveBeenLastCalledWith(1, { id: 'g1', timestamp: group.timestamp });
  });
});
