import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api-client';
import { ApiError } from './api-error';

function clientAnswering(response: Response | Error, token: string | undefined = 'token-1') {
  const fetchImpl = vi.fn<typeof fetch>(async () => {
    if (response instanceof Error) throw response;
    return response;
  });
  const onUnauthorized = vi.fn();
  const client = new ApiClient({ baseUrl: 'http://api', getToken: () => token, onUnauthorized, fetchImpl });
  return { client, fetchImpl, onUnauthorized };
}

describe('ApiClient', () => {
  it('sends the bearer token and the JSON body, and unwraps the created item', async () => {
    const group = { id: 'g1', userId: 'alice', name: 'Dogs', description: '', timestamp: '2026-11-26T07:00:00.000Z' };
    const { client, fetchImpl } = clientAnswering(Response.json({ newItem: group }, { status: 201 }));

    await expect(client.createGroup({ name: 'Dogs', description: '' })).resolves.toEqual(group);

    expect(fetchImpl).toHaveBeenCalledWith('http://api/groups', {
      method: 'POST',
      headers: { Accept: 'application/json', Authorization: 'Bearer token-1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Dogs', description: '' }),
    });
  });

  it('puts the paging and label parameters in the query, leaving out the empty ones', async () => {
    const { client, fetchImpl } = clientAnswering(Response.json({ items: [] }));

    await client.listGroupImages('g 1', { label: 'dog', nextKey: undefined });

    expect(fetchImpl.mock.calls[0][0]).toBe('http://api/groups/g%201/images?limit=24&label=dog');
  });

  it('fails with the API’s own message', async () => {
    const body = { statusCode: 409, error: 'Conflict', message: 'Group g1 still holds 2 images' };
    const { client } = clientAnswering(Response.json(body, { status: 409 }));

    await expect(client.deleteGroup('g1')).rejects.toEqual(new ApiError(409, 'Group g1 still holds 2 images'));
  });

  it('tells the app when the API refuses the token', async () => {
    const body = { statusCode: 401, error: 'Unauthorized', message: 'The token has expired' };
    const { client, onUnauthorized } = clientAnswering(Response.json(body, { status: 401 }));

    await expect(client.deleteImage('i1')).rejects.toThrow('The token has expired');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('says so when the API cannot be reached', async () => {
    const { client } = clientAnswering(new TypeError('Failed to fetch'));

    await expect(client.listGroups()).rejects.toMatchObject({ status: 0, message: expect.stringContaining('cannot be reached') });
  });
});
