import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOfflineOpenApiDocument, formatOpenApiDocument, WEB_OPENAPI_DOCUMENT_PATH } from './openapi-document.js';

// `npm run web:api-types`, step 1 of 2 (step 2 generates the TypeScript types from this file). Runs from
// dist/tools/web/ after `nest build api`, hence three levels up to the repository root.
// A deployment's copy: `node dist/tools/web/write-openapi-document.js --output FILE --issuer https://TENANT.auth0.com/
// --audience AUDIENCE --client-id SWAGGER_UI_CLIENT_ID` (Swagger UI's Authorize button then signs in at Auth0).
const { values } = parseArgs({
  options: {
    output: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    'client-id': { type: 'string' },
  },
});
const target = values.output ?? fileURLToPath(new URL(`../../../${WEB_OPENAPI_DOCUMENT_PATH}`, import.meta.url));
const signIn = Object.fromEntries(
  Object.entries({
    JWT_ISSUER: values.issuer,
    JWT_AUDIENCE: values.audience,
    SWAGGER_UI_CLIENT_ID: values['client-id'],
  }).filter((entry): entry is [string, string] => entry[1] !== undefined),
);
await writeFile(target, formatOpenApiDocument(await createOfflineOpenApiDocument(signIn)));
console.log(`Wrote ${values.output ?? WEB_OPENAPI_DOCUMENT_PATH}`);
