import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError, apiErrorFrom } from './api-error';
import type { paths } from './schema';
import type { CreatedImage, CreateGroupInput, CreateImageInput, Group, Image, Page } from './types';

export interface ApiClientOptions {
  /** Without a trailing slash. */
  baseUrl: string;
  /** The bearer token of the signed-in user, if any. */
  getToken: () => string | undefined;
  /** Told when the API refuses the token (expired or revoked), so the app can sign the user out. */
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
}

/** What openapi-fetch answers: the path's typed success body, or its error body, with the response. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

const GROUPS_PAGE_SIZE = 20;
const IMAGES_PAGE_SIZE = 24;

/**
 * The Udagram API through openapi-fetch over the types generated from its OpenAPI document (src/api/schema.ts):
 * every path, parameter, body and answer is checked against the document, so a change of the API that the client
 * does not follow fails the type-check.
 */
export class ApiClient {
  private readonly http: Client<paths>;

  constructor(options: ApiClientOptions) {
    this.http = createClient<paths>({
      baseUrl: options.baseUrl,
      fetch: options.fetchImpl ?? ((request) => fetch(request)),
      headers: { Accept: 'application/json' },
    });
    this.http.use(signedIn(options));
  }

  listGroups(nextKey?: string): Promise<Page<Group>> {
    return dataOf(this.http.GET('/groups', { params: { query: { limit: GROUPS_PAGE_SIZE, nextKey } } }));
  }

  async createGroup(input: CreateGroupInput): Promise<Group> {
    return (await dataOf(this.http.POST('/groups', { body: input }))).newItem;
  }

  async getGroup(groupId: string): Promise<Group> {
    return (await dataOf(this.http.GET('/groups/{groupId}', { params: { path: { groupId } } }))).item;
  }

  async deleteGroup(groupId: string): Promise<void> {
    await succeeded(this.http.DELETE('/groups/{groupId}', { params: { path: { groupId } } }));
  }

  /** Newest first; with a label, only the images whose labels contain that word. */
  listGroupImages(groupId: string, options: { nextKey?: string; label?: string } = {}): Promise<Page<Image>> {
    const query = { limit: IMAGES_PAGE_SIZE, nextKey: options.nextKey, label: options.label || undefined };
    return dataOf(this.http.GET('/groups/{groupId}/images', { params: { path: { groupId }, query } }));
  }

  searchImages(label: string, nextKey?: string): Promise<Page<Image>> {
    return dataOf(this.http.GET('/images', { params: { query: { label, limit: IMAGES_PAGE_SIZE, nextKey } } }));
  }

  /** Records the image (PENDING) and returns where to PUT its bytes. */
  createImage(groupId: string, input: CreateImageInput): Promise<CreatedImage> {
    return dataOf(this.http.POST('/groups/{groupId}/images', { params: { path: { groupId } }, body: input }));
  }

  async getImage(imageId: string): Promise<Image> {
    return (await dataOf(this.http.GET('/images/{imageId}', { params: { path: { imageId } } }))).item;
  }

  async deleteImage(imageId: string): Promise<void> {
    await succeeded(this.http.DELETE('/images/{imageId}', { params: { path: { imageId } } }));
  }

  /** Owner only: labels the image again (the answer is the image, PENDING or already labelled). */
  async reclassifyImage(imageId: string): Promise<Image> {
    const answer = this.http.POST('/images/{imageId}/classification', { params: { path: { imageId } } });
    return (await dataOf(answer)).item;
  }
}

/** The success body, or the API's own error as an ApiError. */
async function dataOf<T>(pending: Promise<Answer<T>>): Promise<NonNullable<T>> {
  const { data, error, response } = await pending;
  if (!response.ok || data === undefined || data === null) throw apiErrorFrom(response, error);
  return data;
}

/** For the answers without a body (204): nothing, or the API's own error as an ApiError. */
async function succeeded(pending: Promise<Answer<unknown>>): Promise<void> {
  const { error, response } = await pending;
  if (!response.ok) throw apiErrorFrom(response, error);
}

/**
 * Sends the signed-in user's token, tells the app when the API refuses it, and turns a request that never reached
 * the API into an ApiError of status 0.
 */
function signedIn(options: ApiClientOptions): Middleware {
  return {
    onRequest({ request }) {
      const token = options.getToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('Authorization')) options.onUnauthorized?.();
      return undefined;
    },
    onError({ error }) {
      return new ApiError(0, 'The API cannot be reached. Check your connection and try again.', { cause: error });
    },
  };
}
