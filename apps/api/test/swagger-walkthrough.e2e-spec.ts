import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, type Browser, type Locator, type Page } from '../../web/test/browser.js';
import { fixturesDirectory } from '../../../tools/test/fixtures.js';
import { setupSwagger } from '../src/swagger.js';
import { createTestApp } from './test-app.js';

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/swagger/', import.meta.url));
const SQUIRREL_LABEL = 'fox squirrel, eastern fox squirrel, Sciurus niger';

// A person exploring the API in Swagger UI, in a real browser, with nothing but Swagger UI's own controls: sign in
// through the OAuth2 flow on the identity provider's page, create a group and an image, upload the photo from the
// file picker, then read the image until the classifier has labelled it. The steps build on each other, in order.
describe('the Swagger UI walk-through in Chromium (e2e)', () => {
  const user = `explorer-${Date.now().toString(36)}`;
  const pageErrors: string[] = [];
  let api: NestExpressApplication;
  let browser: Browser;
  let page: Page;
  let groupId: string;
  let imageId: string;

  const operation = (tag: string, operationId: string) => page.locator(`#operations-${tag}-${operationId}`);

  /** Opens an operation, presses "Try it out", fills its parameters, lets `prepare` do the rest, then executes it. */
  async function tryOut(
    block: Locator,
    parameters: Record<string, string>,
    prepare?: (block: Locator) => Promise<void>,
  ) {
    if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').first().click();
    // An opened operation shows a spinner until Swagger UI has resolved it (debounced, asynchronous: slower on a busy
    // machine); only then come its parameters and the button, "Try it out" or, once pressed, "Cancel". Wait for it.
    const tryOutButton = block.getByRole('button', { name: /^(Try it out|Cancel)$/ });
    if ((await tryOutButton.innerText()).trim() === 'Try it out') await tryOutButton.click();
    for (const [name, value] of Object.entries(parameters))
      await block.locator(`tr[data-param-name="${name}"] input`).fill(value);
    await prepare?.(block);
    await block.getByRole('button', { name: 'Execute' }).click();
    const response = block.locator('.live-responses-table .response').first();
    await response.waitFor();
    return response;
  }

  /** The status and JSON body of the response Swagger UI shows under the operation. */
  async function shownResponse(response: Locator): Promise<{ status: number; body: Record<string, any> }> {
    const status = Number((await response.locator('.response-col_status').innerText()).trim());
    const body = JSON.parse(await response.locator('.response-col_description pre').first().innerText());
    return { status, body };
  }

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    [api, browser] = await Promise.all([createTestApp((app) => setupSwagger(app)), launchChromium()]);
    await api.listen(0, '127.0.0.1');
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  // What the page showed when a step failed, beside the screenshots of the steps that passed.
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await page?.screenshot({ path: `${ARTIFACTS}failed-${task.name.replace(/[^\w]+/g, '-')}.png`, fullPage: true });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('opens /docs and signs in with Authorize: the OAuth2 code flow with PKCE on the provider’s sign-in page', async () => {
    const { port } = api.getHttpServer().address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/docs`);
    await page.locator('.swagger-ui .info .title').getByText('Udagram API').waitFor();
    await page.locator('button.authorize').first().click();
    const oauth2 = page.locator('.auth-container').filter({ hasText: 'authorizationCode with PKCE' });
    await expect(oauth2.getByLabel('client_id:').inputValue()).resolves.toBe('udagram-swagger-ui');
    await expect(oauth2.locator('.scopes input[type=checkbox]:checked').count()).resolves.toBe(2);

    const [signInPage] = await Promise.all([page.waitForEvent('popup'), oauth2.locator('button.authorize').click()]);
    await signInPage.getByLabel('User name').fill(user);
    await signInPage.screenshot({ path: `${ARTIFACTS}01-sign-in-page.png` });
    await Promise.all([signInPage.waitForEvent('close'), signInPage.getByRole('button', { name: 'Sign in' }).click()]);

    await oauth2.locator('button', { hasText: 'Logout' }).waitFor();
    await expect(oauth2.innerText()).resolves.toContain('Authorized');
    await page.screenshot({ path: `${ARTIFACTS}02-authorized.png` });
    await oauth2.locator('button.btn-done').click();
  });

  it('creates a group with POST /groups', async () => {
    const response = await tryOut(operation('groups', 'createGroup'), {}, async (block) => {
      await block
        .locator('textarea.body-param__text')
        .fill(JSON.stringify({ name: `Walk-through ${user}`, description: 'From Swagger UI' }));
    });

    const { status, body } = await shownResponse(response);
    expect(status).toBe(201);
    expect(body.newItem).toMatchObject({ userId: user, name: `Walk-through ${user}` });
    groupId = body.newItem.id;
  });

  it('creates an image in it with POST /groups/{groupId}/images', async () => {
    const response = await tryOut(operation('images', 'createImage'), { groupId }, async (block) => {
      await block
        .locator('textarea.body-param__text')
        .fill(JSON.stringify({ title: 'A squirrel in the park', contentType: 'image/jpeg' }));
    });

    const { status, body } = await shownResponse(response);
    expect(status).toBe(201);
    expect(body.newItem).toMatchObject({ groupId, userId: user, status: 'PENDING', contentType: 'image/jpeg' });
    imageId = body.newItem.imageId;
  });

  it('uploads squirrel.jpg from the file picker with PUT /images/{imageId}/photo', async () => {
    const response = await tryOut(operation('images', 'uploadImagePhoto'), { imageId }, async (block) => {
      await expect(block.locator('.body-param-content-type select').inputValue()).resolves.toBe('image/jpeg');
      await block.locator('input[type=file]').setInputFiles(path.join(fixturesDirectory(), 'squirrel.jpg'));
    });

    const { status, body } = await shownResponse(response);
    expect(status).toBe(200);
    expect(body.item).toMatchObject({ imageId, status: 'PENDING', contentType: 'image/jpeg' });
  });

  it('reads the image with GET /images/{imageId} until it is CLASSIFIED as a fox squirrel', async () => {
    const block = operation('images', 'getImage');
    let shown = await shownResponse(await tryOut(block, { imageId }));
    for (let attempt = 1; shown.body.item?.status === 'PENDING' && attempt <= 30; attempt++) {
      await page.waitForTimeout(1_000);
      await block.getByRole('button', { name: 'Clear' }).click();
      await block.getByRole('button', { name: 'Execute' }).click();
      await block.locator('.live-responses-table .response').first().waitFor();
      shown = await shownResponse(block.locator('.live-responses-table .response').first());
    }

    expect(shown.status).toBe(200);
    expect(shown.body.item).toMatchObject({ imageId, status: 'CLASSIFIED', classLabel: SQUIRREL_LABEL });
    await block.locator('.responses-wrapper').scrollIntoViewIfNeeded();
    await block.screenshot({ path: `${ARTIFACTS}03-classified-response.png` });
    expect(pageErrors).toEqual([]);
  });
});
