import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

// For browser tests outside apps/web, which cannot resolve apps/web's playwright-core themselves.
export type { Browser, Locator, Page } from 'playwright-core';

const WEB_ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCREENSHOTS_DIRECTORY = fileURLToPath(new URL('../../../test-artifacts/web/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the web app into `outDir` (not apps/web/dist, which `npm start` may be serving), as the release does. */
export async function buildWebApp(outDir: string): Promise<void> {
  const vite = path.join(WEB_ROOT, 'node_modules/.bin/vite');
  await promisify(execFile)(vite, ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: WEB_ROOT,
  });
}

/**
 * Debian's Chromium (tools/ensure-system-deps.sh installs it), driven by playwright-core: Playwright's own browser
 * downloads cannot run here. Playwright gives each launch a fresh temporary profile.
 */
export async function launchChromium(): Promise<Browser> {
  await access(CHROMIUM).catch(() => {
    throw new Error(`No Chromium at ${CHROMIUM}: run bash tools/ensure-system-deps.sh (or set CHROMIUM_PATH)`);
  });
  await mkdir(SCREENSHOTS_DIRECTORY, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export function screenshotPath(name: string): string {
  return path.join(SCREENSHOTS_DIRECTORY, `${name}.png`);
}
