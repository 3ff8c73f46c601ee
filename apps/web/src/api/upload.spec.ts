import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { putFile, uploadContentType, type UploadProgress } from './upload';

/** Just enough of XMLHttpRequest to script an upload: the test drives its progress and its end. */
class ScriptedRequest {
  static last: ScriptedRequest;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  upload: { onprogress?: (event: { loaded: number; total: number; lengthComputable: boolean }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;

  constructor() {
    ScriptedRequest.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
}

describe('putFile', () => {
  beforeEach(() => {
    vi.stubGlobal('XMLHttpRequest', ScriptedRequest);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('PUTs the file with its declared type and reports progress until done', async () => {
    const file = new File([new Uint8Array(1000)], 'squirrel.jpg', { type: 'image/jpeg' });
    const progress: UploadProgress[] = [];

    const upload = putFile('https://s3/images/i1?X-Amz-Signature=x', file, 'image/jpeg', (step) => progress.push(step));
    const request = ScriptedRequest.last;
    request.upload.onprogress?.({ loaded: 400, total: 1000, lengthComputable: true });
    request.status = 200;
    request.onload?.();
    await upload;

    expect(request.method).toBe('PUT');
    expect(request.headers).toEqual({ 'Content-Type': 'image/jpeg' });
    expect(request.body).toBe(file);
    expect(progress).toEqual([
      { loaded: 400, total: 1000 },
      { loaded: 1000, total: 1000 },
    ]);
  });

  it('sets no Content-Type of its own when none was declared', async () => {
    const upload = putFile('https://s3/x', new Blob(['hello']), undefined, () => undefined);
    ScriptedRequest.last.status = 200;
    ScriptedRequest.last.onload?.();
    await upload;

    expect(ScriptedRequest.last.headers).toEqual({});
  });

  it('fails with the storage service’s reason when the upload is refused', async () => {
    const upload = putFile('https://s3/x', new Blob(['x']), 'image/png', () => undefined);
    const request = ScriptedRequest.last;
    request.status = 403;
    request.responseText = '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>';
    request.onload?.();

    await expect(upload).rejects.toThrow('The upload was refused (HTTP 403): Request has expired');
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    const upload = putFile('https://s3/x', new Blob(['x']), undefined, () => undefined, controller.signal);

    controller.abort();

    await expect(upload).rejects.toThrow('The upload was cancelled.');
  });
});

describe('uploadContentType', () => {
  it.each([
    ['image/jpeg', 'image/jpeg'],
    ['image/png', 'image/png'],
    ['image/webp', 'image/webp'],
    ['image/gif', undefined],
    ['', undefined],
  ])('declares %j as %j', (type, expected) => {
    expect(uploadContentType(new Blob(['x'], { type }))).toBe(expected);
  });
});
