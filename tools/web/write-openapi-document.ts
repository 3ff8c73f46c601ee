import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createOfflineOpenApiDocument, formatOpenApiDocument, WEB_OPENAPI_DOCUMENT_PATH } from './openapi-document.js';

// `npm run web:api-types`, step 1 of 2 (step 2 generates the TypeScript types from this file). Runs from
// dist/tools/web/ after `nest build api`, hence three levels up to the repository root.
const target = fileURLToPath(new URL(`../../../${WEB_OPENAPI_DOCUMENT_PATH}`, import.meta.url));
await writeFile(target, formatOpenApiDocument(await createOfflineOpenApiDocument()));
console.log(`Wrote ${WEB_OPENAPI_DOCUMENT_PATH}`);
