import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../api/test/test-app.js';
import { startWebServer, type WebServer } from '../../../tools/local-cloud/web-server.js';
import { buildWebApp, launchChromium, screenshotPath } from './browser.js';

/** What oidc-client-ts keeps of the signed-in user in sessionStorage (`oidc.user:<authority>:<client id>`). */
interface StoredUser {
  access_token: string;
  refresh_token?: string;
  expires_at: number;
}

/** The page's sessionStorage, typed here (this file compiles without the DOM library). */
interface PageGlobals {
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

// The web app's OIDC mode (what runs against Auth0 in AWS) against the local OpenID provider, in a real browser:
// sign in on the provider's page, renew an expired token with the refresh token, sign out at the provider.
describe('the web app’s OIDC sign-in in Chromium (e2e)', () => {
  const user = `oidc-${Date.now().toString(36)}`;
  const issuer = process.env.JWT_ISSUER!;
  const userKey = `oidc.user:${issuer}:udagram-web`;
  const pageErrors: string[] = [];
  let buildDirectory: string;
  let api: NestExpressApplication;
  let web: WebServer;
  let browser: Browser;
  let page: Page;

  const storedUser = async () =>
    JSON.parse(
      (await page.evaluate((key) => (globalThis as unknown as PageGlobals).sessionStorage.getItem(key), userKey)) ??
        'null',
    ) as StoredUser | null;

  beforeAll(async () => {
    buildDirectory = await mkdtemp(path.join(tmpdir(), 'udagram-web-oidc-e2e-'));
    const [, app, launched] = await Promise.all([buildWebApp(buildDirectory), createTestApp(), launchChromium()]);
    api = app;
    browser = launched;
    await api.listen(0, '127.0.0.1');
    web = await startWebServer({
      root: buildDirectory,
      port: 0,
      config: {
        apiUrl: `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`,
        auth: { mode: 'oidc', issuer, clientId: 'udagram-web', audience: process.env.JWT_AUDIENCE! },
      },
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.close();
    if (buildDirectory) await rm(buildDirectory, { recursive: true, force: true });
  });

  it('signs in on the provider’s page (code + PKCE) and comes back signed in with a token the API takes', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(issuer));
    await page.getByLabel('User name').fill(user);

    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByText(`Signed in as ${user}`).waitFor();
    expect(new URL(page.url()).search).toBe('');
    const stored = await storedUser();
    expect(stored).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });
    await page.getByLabel('Name', { exact: true }).fill(`OIDC ${user}`);
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: `OIDC ${user}` }).waitFor();
    await page.screenshot({ path: screenshotPath('oidc-01-signed-in') });
  });

  it('renews an expired access token with the refresh token, without the provider’s page', async () => {
    const before = (await storedUser())!;
    await page.evaluate(
      ({ key, expired }) => {
        const { sessionStorage } = globalThis as unknown as PageGlobals;
        sessionStorage.setItem(
          key,
          JSON.stringify({ ...JSON.parse(sessionStorage.getItem(key)!), expires_at: expired }),
        );
      },
      { key: userKey, expired: Math.floor(Date.now() / 1000) - 60 },
    );

    await page.reload();

    await page.getByText(`Signed in as ${user}`).waitFor();
    const after = (await storedUser())!;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(new URL(page.url()).origin).toBe(new URL(web.url).origin);
  });

  it('renews the token in the background a minute before it expires, and the app’s requests carry the new one', async () => {
    const before = (await storedUser())!;
    await page.evaluate(
      ({ key, expiresAt }) => {
        const { sessionStorage } = globalThis as unknown as PageGlobals;
        sessionStorage.setItem(
          key,
          JSON.stringify({ ...JSON.parse(sessionStorage.getItem(key)!), expires_at: expiresAt }),
        );
      },
      // oidc-client-ts renews 60 s before expiry: this one is due in about 2 s.
      { key: userKey, expiresAt: Math.floor(Date.now() / 1000) + 62 },
    );
    await page.reload();
    await page.getByText(`Signed in as ${user}`).waitFor();

    await expect
      .poll(async () => (await storedUser())?.access_token, { timeout: 20_000 })
      .not.toBe(before.access_token);
    const renewed = (await storedUser())!.access_token;
    await page.getByLabel('Name', { exact: true }).fill(`Renewed ${user}`);
    const [create] = await Promise.all([
      page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/groups'),
      page.getByRole('button', { name: 'Create group' }).click(),
    ]);

    expect(create.headers().authorization).toBe(`Bearer ${renewed}`);
    await page.getByRole('link', { name: `Renewed ${user}` }).waitFor();
  });

  it('signs out at the provider too: the next sign-in asks for a user name again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.href.startsWith(issuer));
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(web.url).origin);
    await expect(storedUser()).resolves.toBeNull();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByLabel('User name').waitFor()).resolves.toBeUndefined();
    await page.screenshot({ path: screenshotPath('oidc-02-signed-out-asks-again') });
    expect(pageErrors).toEqual([]);
  });
});
