import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp } from '../../api/test/test-app.js';
import { startWebServer, type WebServer } from '../../../tools/local-cloud/web-server.js';
import { readFixture } from '../../../tools/test/fixtures.js';
import { buildWebApp, launchChromium, screenshotPath } from './browser.js';

const SQUIRREL_LABEL = 'fox squirrel, eastern fox squirrel, Sciurus niger';

// A person's session in a real browser against the real stack: the built app served as in production, the API,
// and the run's local system (S3 uploads go to the upload handler and the real classifier; the WebSocket pushes
// status changes). The steps build on each other, in order, in one page.
describe('the web app in Chromium (e2e)', () => {
  const user = `web-${Date.now().toString(36)}`;
  const groupName = `Squirrels ${user}`;
  const pageErrors: string[] = [];
  const webSockets: string[] = [];
  let buildDirectory: string;
  let api: NestExpressApplication;
  let web: WebServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildDirectory = await mkdtemp(path.join(tmpdir(), 'udagram-web-e2e-'));
    const [, app, launched] = await Promise.all([buildWebApp(buildDirectory), createTestApp(), launchChromium()]);
    api = app;
    browser = launched;
    await api.listen(0, '127.0.0.1');
    const apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    web = await startWebServer({
      root: buildDirectory,
      port: 0,
      config: {
        apiUrl,
        websocketUrl: process.env.WEBSOCKET_URL,
        auth: { mode: 'dev', tokenUrl: new URL('token', inject('devIdentity').issuer).href },
      },
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('websocket', (socket) => webSockets.push(socket.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.close();
    if (buildDirectory) await rm(buildDirectory, { recursive: true, force: true });
  });

  it('signs a user in by name, through the dev token endpoint, with the keyboard', async () => {
    await page.goto(web.url);
    await page.getByLabel('User name').fill(user);

    await page.getByLabel('User name').press('Enter');

    await expect(page.getByText(`Signed in as ${user}`).waitFor()).resolves.toBeUndefined();
    await page.screenshot({ path: screenshotPath('01-signed-in') });
  });

  it('creates a group and opens it', async () => {
    await page.getByLabel('Name', { exact: true }).fill(groupName);
    await page.getByLabel('Description (optional)').fill('Made by the browser test');
    await page.getByRole('button', { name: 'Create group' }).click();

    await page.getByRole('link', { name: groupName }).click();

    await expect(page.getByRole('heading', { level: 1, name: groupName }).waitFor()).resolves.toBeUndefined();
    await page.screenshot({ path: screenshotPath('02-group-opened') });
  });

  it('uploads squirrel.jpg with a progress bar, and shows it in the grid at once', async () => {
    // A slow uplink (40 KiB/s), so that the 61 KiB upload shows its progress for a while.
    const devTools = await page.context().newCDPSession(page);
    await devTools.send('Network.enable');
    await devTools.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 40 * 1024,
    });
    await page.getByLabel('Photo', { exact: true }).setInputFiles({
      name: 'squirrel.jpg',
      mimeType: 'image/jpeg',
      buffer: await readFixture('squirrel.jpg'),
    });
    await expect(page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('squirrel');
    await page.getByLabel('Title', { exact: true }).fill('A squirrel in the park');
    // Gone after a reload or a navigation: its survival proves that the label arrives in this same page.
    await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));

    await page.getByRole('button', { name: 'Upload' }).click();

    const progress = page.getByLabel('Uploading squirrel.jpg…');
    await expect
      .poll(async () => Number((await progress.getAttribute('value', { timeout: 5_000 })) ?? 0), {
        timeout: 15_000,
        interval: 25,
      })
      .toSatisfy((percent: number) => percent > 0 && percent < 100);
    await page.screenshot({ path: screenshotPath('03-uploading') });
    await progress.waitFor({ state: 'detached', timeout: 20_000 });
    await devTools.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const card = page.getByRole('listitem').filter({ has: page.getByRole('img', { name: /^A squirrel in the park/ }) });
    await expect(card.waitFor()).resolves.toBeUndefined();
    // The photo itself came back from storage through its presigned URL (it may still be loading as the card appears).
    await expect
      .poll(
        () =>
          card
            .getByRole('img')
            .evaluate((image: { complete: boolean; naturalWidth: number }) => image.complete && image.naturalWidth > 0),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await page.screenshot({ path: screenshotPath('04-uploaded'), fullPage: true });
  });

  it('shows the label "fox squirrel" when the classifier is done, without a reload', async () => {
    const label = page.getByText(SQUIRREL_LABEL);
    await label.waitFor({ timeout: 45_000 });

    await expect(page.evaluate(() => (globalThis as { stillTheSamePage?: boolean }).stillTheSamePage)).resolves.toBe(
      true,
    );
    await expect(
      page.getByRole('img', { name: `A squirrel in the park (labelled: ${SQUIRREL_LABEL})` }).count(),
    ).resolves.toBe(1);
    expect(webSockets).toContain(new URL(process.env.WEBSOCKET_URL!).href);
    await page.screenshot({ path: screenshotPath('05-labelled'), fullPage: true });
  });

  it('opens the photo with its top 5 labels as bars, and the owner’s actions', async () => {
    await page.getByRole('link', { name: /^A squirrel in the park/ }).click();

    const labels = page.getByRole('list', { name: 'Top labels' }).getByRole('listitem');
    await labels.first().waitFor();
    await expect(labels.count()).resolves.toBe(5);
    await expect(labels.first().textContent()).resolves.toMatch(new RegExp(`^${SQUIRREL_LABEL}\\d+(\\.\\d)?%$`));
    await expect(page.getByRole('button', { name: 'Label again' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Delete photo' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('06-photo-labels') });
  });

  it('fits a phone’s 360 px width without sideways scrolling, on the photo and on its group', async () => {
    // The elements that stick out past the right edge, named so that a failure says which.
    const tooWide = () =>
      page
        .locator('body *')
        .evaluateAll((elements: { tagName: string; className: string; getBoundingClientRect(): { right: number } }[]) =>
          elements
            .filter((element) => element.getBoundingClientRect().right > 360)
            .map((element) => `${element.tagName}.${element.className}`),
        );
    await page.setViewportSize({ width: 360, height: 780 });

    await expect(tooWide()).resolves.toEqual([]);
    await page.screenshot({ path: screenshotPath('07-phone-photo'), fullPage: true });
    await page.getByRole('link', { name: 'Back to the group' }).click();
    await page.getByRole('heading', { level: 1, name: groupName }).waitFor();
    await expect(tooWide()).resolves.toEqual([]);
    await page.screenshot({ path: screenshotPath('07-phone-group'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('uploads a text file named .jpg and shows why it cannot be labelled', async () => {
    await page.getByLabel('Photo', { exact: true }).setInputFiles({
      name: 'not-a-photo.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('this is not a photo\n'),
    });
    await page.getByLabel('Title', { exact: true }).fill('Not a photo');

    await page.getByRole('button', { name: 'Upload' }).click();

    const card = page.getByRole('listitem').filter({ hasText: 'Not a photo' });
    await card
      .getByText('Could not be labelled: The file is not an image the classifier can read')
      .waitFor({ timeout: 45_000 });
    await expect(card.getByText('(UndecodableImage)').count()).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath('08-failed'), fullPage: true });
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
