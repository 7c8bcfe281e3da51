import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export const SCREENSHOTS = join(__dirname, '../../../../test-results/ops-dashboard');

/** Debian's Chromium (or CHROMIUM_PATH), headless; a missing browser fails the test, never skips it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: the ops dashboard browser test needs one. ` +
        'Install it with `apt-get install chromium` (Debian), or set CHROMIUM_PATH.',
    );
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** For what the page shows only on load (telemetry arrives after the fact): reloads until it is there. */
export async function reloadUntil(page: Page, url: string, wanted: Locator, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  await page.goto(url);
  for (;;) {
    const shown = await wanted
      .first()
      .waitFor({ timeout: 2000 })
      .then(() => true)
      .catch(() => false);
    if (shown) return;
    if (Date.now() > deadline) throw new Error(`${wanted} never appeared on ${url}`);
    await page.reload();
  }
}

/** Marks the page, so a later check can tell it was never reloaded. */
export async function markNotReloaded(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
  return () => page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded === true);
}
