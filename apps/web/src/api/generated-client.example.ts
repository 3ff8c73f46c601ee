import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * A small program written against a client generated from the API's OpenAPI document (openapi-typescript's types
 * from src/api/openapi.json, the app's one copy of them, driving openapi-fetch): the web app's type-check compiles
 * it, so a document that stops describing what a client needs fails the tests. It is not part of the app's bundle.
 */
export async function sharePhoto(baseUrl: string, token: string, photo: Blob): Promise<string | undefined> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

  const group = await api.POST('/groups', { body: { name: 'Squirrels', description: 'Made by the generated client' } });
  if (group.error) throw new Error(group.error.message);
  const image = await api.POST('/groups/{groupId}/images', {
    params: { path: { groupId: group.data.newItem.id } },
    body: { title: 'A squirrel in the park', contentType: 'image/jpeg' },
  });
  if (image.error) throw new Error(image.error.message);
  const { imageId } = image.data.newItem;

  const uploaded = await api.PUT('/images/{imageId}/photo', {
    params: { path: { imageId } },
    // openapi-typescript types a `format: binary` body as a string; fetch sends the Blob's bytes as they are.
    body: photo as unknown as string,
    bodySerializer: (body) => body,
    headers: { 'Content-Type': 'image/jpeg' },
  });
  if (uploaded.error) throw new Error(`${uploaded.error.statusCode} ${uploaded.error.message}`);

  const read = await api.GET('/images/{imageId}', { params: { path: { imageId } } });
  if (read.error) throw new Error(read.error.message);
  return read.data.item.status === 'CLASSIFIED' ? read.data.item.classLabel : undefined;
}
