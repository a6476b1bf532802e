// Debian's Chromium driven by playwright-core: the suite never downloads a browser of its own.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Where Debian's package puts Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Where screenshots go: SCREENSHOT_DIR, by default sample-war/target/browser-screenshots. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR
  || fileURLToPath(new URL('../../../../target/browser-screenshots/', import.meta.url));

// Headless, and quiet on the network: without the background-networking flags Chromium keeps trying Google's
// hosts, which a closed network refuses. Playwright gives every launch a fresh, empty --user-data-dir.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts a headless Chromium; close it in an after hook. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/**
 * Opens a fresh browser profile (cookies of its own) that may talk to 127.0.0.1 only. Any other request is
 * aborted and recorded in `context.external`, so a test can say that nothing left the machine; a test that
 * expects one (the AWS sign-in post) routes it itself, and later routes win.
 */
export async function newIsolatedContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  context.external = [];
  context.pageErrors = [];
  await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => {
    context.external.push(`${route.request().method()} ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => page.on('pageerror', (error) => context.pageErrors.push(`${page.url()}: ${error.message}`)));
  return context;
}

/** Saves a full-page screenshot as SCREENSHOT_DIR/<name>.png. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
