import type { UploadableContentType } from './types';

const UPLOADABLE_CONTENT_TYPES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/webp',
] satisfies UploadableContentType[];

/**
 * The content type to declare when creating the image: the file's own when the API knows it, else none (the upload
 * URL then binds no type, and the classifier judges the bytes).
 */
export function uploadContentType(file: Blob): UploadableContentType | undefined {
  return UPLOADABLE_CONTENT_TYPES.includes(file.type) ? (file.type as UploadableContentType) : undefined;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export class UploadError extends Error {
  override readonly name = 'UploadError';
}

/**
 * PUTs a file to a presigned S3 URL. XHR rather than fetch: only XHR reports upload progress. A declared content
 * type is sent exactly (it is part of the signature); without one the browser sends the file's own type, unsigned.
 */
export function putFile(
  url: string,
  file: Blob,
  contentType: string | undefined,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    if (contentType !== undefined) request.setRequestHeader('Content-Type', contentType);
    request.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve();
      } else {
        reject(new UploadError(`The upload was refused (HTTP ${request.status}): ${s3Message(request.responseText)}`));
      }
    };
    request.onerror = () => reject(new UploadError('The upload failed: the storage service cannot be reached.'));
    request.onabort = () => reject(new UploadError('The upload was cancelled.'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}

/** S3 explains a refusal in `<Error><Message>…</Message></Error>`. */
function s3Message(responseText: string): string {
  return /<Message>([^<]*)<\/Message>/.exec(responseText)?.[1] ?? 'no reason given';
}
