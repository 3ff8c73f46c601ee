import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOfflineOpenApiDocument, formatOpenApiDocument, WEB_OPENAPI_DOCUMENT_PATH } from './openapi-document.js';

describe('the web client’s copy of the OpenAPI document', () => {
  it('is the document of the API as it is now (else run `npm run web:api-types`)', async () => {
    const committed = await readFile(
      fileURLToPath(new URL(`../../${WEB_OPENAPI_DOCUMENT_PATH}`, import.meta.url)),
      'utf8',
    );

    const current = formatOpenApiDocument(await createOfflineOpenApiDocument());

    expect(committed, `${WEB_OPENAPI_DOCUMENT_PATH} is out of date: run \`npm run web:api-types\``).toBe(current);
  });

  it('is made without touching the environment of the process', async () => {
    const before = { ...process.env };

    await createOfflineOpenApiDocument();

    expect(process.env).toEqual(before);
  });
});
