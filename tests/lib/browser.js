// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium with the flags this sandboxed, offline machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--no-first-run',
      '--disable-sync', '--disable-quic'],
  });
}

/**
 * Opens `url` in a new page, recording console errors/warnings and page errors in `problems`.
 * Waits until the chapter says it is ready.
 */
export async function openPage(browser, url, { viewport = { width: 1280, height: 900 }, deviceScaleFactor = 1 } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  // Waits (not speed checks) get room for two test files sharing two cores.
  context.setDefaultTimeout(60000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto(url);
  // Generous: the suite runs two files at a time on two cores, and the chapter is ready only once
  // every widget, the exercises and the lesson code are in (a wait, not a speed check).
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
  return { page, context, problems };
}
