import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '@app/errors';
import { Test } from '@nestjs/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';

const group = { id: 'g1', userId: 'alice', name: 'Dogs', description: '', timestamp: '2026-11-26T07:00:00.000Z' };

describe('GroupsService', () => {
  const repository = { create: vi.fn(), findById: vi.fn(), listNewestFirst: vi.fn(), deleteIfEmpty: vi.fn() };
  let service: GroupsService;

  beforeEach(async () => {
    vi.resetAllMocks();
    const moduleRef = await Test.createTestingModule({
      providers: [GroupsService, { provide: GroupsRepository, useValue: repository }],
    }).compile();
    service = moduleRef.get(GroupsService);
  });

  it('creates a group owned by the caller with an empty description by default', async () => {
    const created = await service.create('alice', { name: 'Dogs' });

    expect(created).toEqual({ id: expect.any(String), userId: 'alice', name: 'Dogs', description: '', timestamp: expect.any(String) });
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
    expect(repository.deleteIfEmpty).not.toHaveBeenCalled();
  });

  it('refuses to delete a group that still holds images', async () => {
    repository.findById.mockResolvedValue(group);
    repository.deleteIfEmpty.mockResolvedValue(false);

    await expect(service.delete('alice', 'g1')).rejects.toThrow(ConflictError);
  });
});
