import { ApiError, errorFromResponse } from './api-error';
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

const GROUPS_PAGE_SIZE = 20;
const IMAGES_PAGE_SIZE = 24;

/** The Udagram API, typed from its OpenAPI document. */
export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchImpl = options.fetchImpl ?? fetch.bind(globalThis);
  }

  listGroups(nextKey?: string): Promise<Page<Group>> {
    return this.request('GET', `/groups${query({ limit: GROUPS_PAGE_SIZE, nextKey })}`);
  }

  async createGroup(input: CreateGroupInput): Promise<Group> {
    return (await this.request<{ newItem: Group }>('POST', '/groups', input)).newItem;
  }

  async getGroup(groupId: string): Promise<Group> {
    return (await this.request<{ item: Group }>('GET', `/groups/${encodeURIComponent(groupId)}`)).item;
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.request('DELETE', `/groups/${encodeURIComponent(groupId)}`);
  }

  /** Newest first; with a label, only the images whose labels contain that word. */
  listGroupImages(groupId: string, options: { nextKey?: string; label?: string } = {}): Promise<Page<Image>> {
    const search = query({ limit: IMAGES_PAGE_SIZE, nextKey: options.nextKey, label: options.label });
    return this.request('GET', `/groups/${encodeURIComponent(groupId)}/images${search}`);
  }

  searchImages(label: string, nextKey?: string): Promise<Page<Image>> {
    return this.request('GET', `/images${query({ label, limit: IMAGES_PAGE_SIZE, nextKey })}`);
  }

  /** Records the image (PENDING) and returns where to PUT its bytes. */
  createImage(groupId: string, input: CreateImageInput): Promise<CreatedImage> {
    return this.request('POST', `/groups/${encodeURIComponent(groupId)}/images`, input);
  }

  async getImage(imageId: string): Promise<Image> {
    return (await this.request<{ item: Image }>('GET', `/images/${encodeURIComponent(imageId)}`)).item;
  }

  deleteImage(imageId: string): Promise<void> {
    return this.request('DELETE', `/images/${encodeURIComponent(imageId)}`);
  }

  /** Owner only: labels the image again (the answer is the image, PENDING or already labelled). */
  async reclassifyImage(imageId: string): Promise<Image> {
    return (await this.request<{ item: Image }>('POST', `/images/${encodeURIComponent(imageId)}/classification`)).item;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'The API cannot be reached. Check your connection and try again.', { cause: error });
    }
    if (response.status === 401 && token) this.options.onUnauthorized?.();
    if (!response.ok) throw await errorFromResponse(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

function query(parameters: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
