import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { startConnectionUpkeepTestApp } from './connection-upkeep-test-app';

jest.setTimeout(90_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

// The sign-in as a user goes through it: a real browser on the sandbox's consent page, then
// redirected by it to the service's callback, which answers with the new connection.
describe('TradeStation sign-in in a browser', () => {
  let t: Awaited<ReturnType<typeof startConnectionUpkeepTestApp>>;
  let browser: Browser;
  beforeAll(async () => {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}; set CHROMIUM_PATH`);
    t = await startConnectionUpkeepTestApp({ listenOnPort: await freePort() });
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('allows access on the consent page and lands on the callback with a connection the saga then connects', async () => {
    const frank = uuidv7();
    const started = await t.start(frank);
    const page = await browser.newPage();
    await page.goto(started.body.authorizationUrl);
    expect(await page.textContent('[role=status]')).toContain('SANDBOX');
    await Promise.all([
      page.waitForURL(/\/oauth\/tradestation\/callback\?/),
      page.click('button[value=allow]'),
    ]);
    const completed = JSON.parse((await page.textContent('body')) ?? '{}');
    expect(completed).toMatchObject({ connectionId: expect.any(String), status: 'PENDING' });
    expect(await t.ask('VerifyBrokerCredentials', completed.connectionId, {})).toMatchObject({
      outcome: 'succeeded',
    });

    await page.goBack();
    await Promise.all([page.waitForURL(/\/callback\?/), page.click('button[value=allow]')]);
    expect(JSON.parse((await page.textContent('body')) ?? '{}')).toMatchObject({
      code: 'OAUTH_STATE_INVALID',
    });
  });
});
