import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api-client';
import { ApiError } from './api-error';

/** `null`: nobody is signed in. */
function clientAnswering(response: Response | Error, token: string | null = 'token-1') {
  const fetchImpl = vi.fn<typeof fetch>(async () => {
    if (response instanceof Error) throw response;
    return response;
  });
  const onUnauthorized = vi.fn();
  const getToken = () => token ?? undefined;
  const client = new ApiClient({ baseUrl: 'http://api', getToken, onUnauthorized, fetchImpl });
  return { client, fetchImpl, onUnauthorized };
}

/** openapi-fetch hands fetch one Request. */
function sentRequest(fetchImpl: ReturnType<typeof vi.fn<typeof fetch>>): Request {
  const [request] = fetchImpl.mock.calls[0];
  if (!(request instanceof Request)) throw new Error(`fetch was called with ${String(request)}, not a Request`);
  return request;
}

describe('ApiClient', () => {
  it('sends the bearer token and the JSON body, and unwraps the created item', async () => {
    const group = { id: 'g1', userId: 'alice', name: 'Dogs', description: '', timestamp: '2026-11-26T07:00:00.000Z' };
    const { client, fetchImpl } = clientAnswering(Response.json({ newItem: group }, { status: 201 }));

    await expect(client.createGroup({ name: 'Dogs', description: '' })).resolves.toEqual(group);

    const request = sentRequest(fetchImpl);
    expect([request.method, request.url]).toEqual(['POST', 'http://api/groups']);
    const headers = [...request.headers].map(([name, value]) => [name.toLowerCase(), value]);
    expect(Object.fromEntries(headers)).toEqual({
      accept: 'application/json',
      authorization: 'Bearer token-1',
      'content-type': 'application/json',
    });
    await expect(request.text()).resolves.toBe(JSON.stringify({ name: 'Dogs', description: '' }));
  });

  it('sends no Authorization header when nobody is signed in', async () => {
    const { client, fetchImpl } = clientAnswering(Response.json({ items: [] }), null);

    await client.listGroups();

    expect(sentRequest(fetchImpl).headers.has('Authorization')).toBe(false);
  });

  it('puts the paging and label parameters in the query, leaving out the empty ones', async () => {
    const { client, fetchImpl } = clientAnswering(Response.json({ items: [] }));

    await client.listGroupImages('g 1', { label: 'dog', nextKey: undefined });

    expect(sentRequest(fetchImpl).url).toBe('http://api/groups/g%201/images?limit=24&label=dog');
  });

  it('fails with the API’s own message', async () => {
    const body = { statusCode: 409, error: 'Conflict', message: 'Group g1 still holds 2 images' };
    const { client } = clientAnswering(Response.json(body, { status: 409 }));

    await expect(client.deleteGroup('g1')).rejects.toEqual(new ApiError(409, 'Group g1 still holds 2 images'));
  });

  it('tells the app when the API refuses the token', async () => {
    const body = { statusCode: 401, error: 'Unauthorized', message: 'The token has expired' };
    const { client, onUnauthorized } = clientAnswering(Response.json(body, { status: 401 }));

    await expect(client.deleteImage('i1')).rejects.toEqual(new ApiError(401, 'The token has expired'));
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('does not sign out a visitor who sent no token', async () => {
    const body = { statusCode: 401, error: 'Unauthorized', message: 'A bearer token is required' };
    const { client, onUnauthorized } = clientAnswering(Response.json(body, { status: 401 }), null);

    await expect(client.deleteImage('i1')).rejects.toEqual(new ApiError(401, 'A bearer token is required'));
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('names the status when the error body is not the API’s', async () => {
    const gatewayPage = new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    const { client } = clientAnswering(gatewayPage);

    await expect(client.getImage('i1')).rejects.toEqual(
      new ApiError(502, 'The request failed (HTTP 502 Bad Gateway).'),
    );
  });

  it('resolves a deletion answered 204 with nothing', async () => {
    const { client } = clientAnswering(new Response(null, { status: 204 }));

    await expect(client.deleteGroup('g1')).resolves.toBeUndefined();
  });

  it('says so when the API cannot be reached', async () => {
    const offline = new TypeError('Failed to fetch');
    const { client } = clientAnswering(offline);

    await expect(client.listGroups()).rejects.toMatchObject({
      name: 'ApiError',
      status: 0,
      message: 'The API cannot be reached. Check your connection and try again.',
      cause: offline,
    });
  });
});
