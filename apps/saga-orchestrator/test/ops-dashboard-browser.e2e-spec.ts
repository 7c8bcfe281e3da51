import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { eventually } from './support/orchestrator-kit';
import { launchChromium, markNotReloaded, reloadUntil, SCREENSHOTS, shot } from './support/dashboard-browser';
import { GatewayClient, type User } from './support/gateway-client';
import { type FreshSuite, LaunchedSuite } from '../../../test/support/launched-suite';
import { type RawEnvelope, RawKafka, unknownConnectionRequested } from './support/raw-kafka';

// The ops dashboard as an operator uses it: the whole suite started by the launcher (npm test
// builds first), driven in Debian's headless Chromium. Screenshots of every page go to
// test-results/ops-dashboard/, the suite's logs beside them.
const GATEWAY_PORT = 3600; // the services take 3601-3605
const BROKERS = 'localhost:9692';
const ADMIN = { email: 'admin@tradecore.local', password: 'Admin-Passw0rd!' };
const baseUrl = `http://127.0.0.1:${GATEWAY_PORT}`;
// virtual-broker is started later, on its own: until then, a paper connection's saga retries against nobody.
const ALL_BUT_VIRTUAL_BROKER = [
  'user-account',
  'broker-connection',
  'broker-account',
  'saga-orchestrator',
  'automation',
  'api-gateway',
];

describe('ops dashboard in a browser, against the whole suite', () => {
  const stores: FreshSuite = {
    database: 'tradecore_ui_test',
    gatewayPort: GATEWAY_PORT,
    brokerPort: 9692,
    redisDb: 7,
    dataDir: mkdtempSync(join(tmpdir(), 'ops-dashboard-ui-')),
    extraEnv: {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Twice the default step timeouts: room for the operator to act while a step is still retrying.
      SAGA_TIMEOUT_SCALE: '2',
    },
  };
  const gateway = new GatewayClient(baseUrl);
  const external: string[] = [];
  let suite: LaunchedSuite | undefined;
  let virtualBroker: LaunchedSuite | undefined;
  let kafka: RawKafka | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let user: User;

  beforeAll(async () => {
    browser = await launchChromium();
    suite = await LaunchedSuite.fresh({
      ...stores,
      services: ALL_BUT_VIRTUAL_BROKER,
      logFile: join(SCREENSHOTS, 'suite.log'),
    });
    kafka = await RawKafka.connect(BROKERS);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl)) external.push(request.url());
    });
    user = await gateway.signUp('Ada');
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await kafka?.disconnect();
    await virtualBroker?.stop();
    await suite?.stop();
    rmSync(stores.dataDir, { recursive: true, force: true });
  }, 180_000);

  const badge = (status: string) => page.locator('h1 .badge', { hasText: status });

  it('logs in as admin through the gateway', async () => {
    await page.goto(`${baseUrl}/ops`);
    await page.getByLabel('Email').waitFor();
    await shot(page, '01-login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.locator('.stat-label', { hasText: 'sagas in flight' }).waitFor();
    await page.locator('figcaption', { hasText: 'p99 saga duration' }).waitFor();
    // Served by broker-connection through the gateway: an answer, not "did not answer".
    await page.locator('section.connections', { hasText: 'No broker connection yet.' }).waitFor();
    await shot(page, '02-overview');
  });

  it('shows a saga failing against a participant that is down live, and compensates it', async () => {
    await page.goto(`${baseUrl}/ops#/sagas?retrying=true`);
    await page.locator('.live-live').waitFor();
    const notReloaded = await markNotReloaded(page);
    const { connectionId } = await gateway.connectVirtualBroker(user);
    // It shows up once its step to the missing virtual-broker has timed out and is being retried.
    const row = page.locator(`tr[data-aggregate-id="${connectionId}"][data-status="RUNNING"]`);
    await row.waitFor({ timeout: 120_000 });
    expect(await notReloaded()).toBe(true);
    await shot(page, '03-sagas-retrying-live');

    await row.getByRole('link').click();
    await page.locator('.bar-timed-out').first().waitFor();
    await badge('RUNNING').waitFor();
    await shot(page, '04-saga-retrying');
    await page.getByRole('button', { name: 'Compensate' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('ui test: virtual-broker is down');
    await shot(page, '05-saga-compensate-confirm');
    await page.getByRole('dialog').getByRole('button', { name: 'Compensate' }).click();
    await badge('COMPENSATING').waitFor();

    // The participant comes back and answers the compensation (purging the paper accounts).
    virtualBroker = await LaunchedSuite.start(
      { ...LaunchedSuite.envFor(stores), KAFKA_BROKERS: BROKERS },
      join(SCREENSHOTS, 'virtual-broker.log'),
      ['virtual-broker'],
    );
    await badge('COMPENSATED').waitFor({ timeout: 180_000 });
    await page.locator('.phase-compensating').first().waitFor();
    await shot(page, '06-saga-compensated');
    expect(await gateway.connectionStatus(user, connectionId)).toBe('FAILED');
  }, 600_000);

  let doomed: RawEnvelope;

  it('opens the timeline of a FAILED saga and aborts it with a confirmation', async () => {
    doomed = unknownConnectionRequested();
    await page.goto(`${baseUrl}/ops#/sagas`);
    await page.locator('.live-live').waitFor();
    const notReloaded = await markNotReloaded(page);
    await kafka!.publish('broker-connection.events', doomed);
    const row = page.locator(`tr[data-aggregate-id="${doomed.streamId}"][data-status="FAILED"]`);
    await row.waitFor();
    expect(await notReloaded()).toBe(true);
    await shot(page, '07-sagas-failed-live');
    await row.getByRole('link').click();
    await page.locator('.phase-compensating').first().waitFor();
    await badge('FAILED').waitFor();
    expect(await page.getByRole('button', { name: 'Compensate' }).isDisabled()).toBe(true);
    await shot(page, '08-saga-failed');
    await page.getByRole('button', { name: 'Abort' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('ui test: unknown connection');
    await page.getByRole('dialog').getByRole('button', { name: 'Abort' }).click();
    await badge('ABORTED').waitFor();
    await shot(page, '09-saga-aborted');
  }, 180_000);

  it('replays a dead letter and sees it handled', async () => {
    const dead = unknownConnectionRequested();
    await kafka!.publish('broker-connection.events.dlq', dead, {
      'x-dlq-original-topic': 'broker-connection.events',
      'x-dlq-original-partition': '0',
      'x-dlq-original-offset': '0',
      'x-dlq-consumer-group': 'ui-test.projection',
      'x-dlq-error-message': 'ui test: projection store unavailable',
      'x-dlq-attempts': '5',
      'x-dlq-first-failure-at': new Date().toISOString(),
    });
    const row = page.locator('tr', { has: page.locator(`a[href="#/trace?messageId=${dead.messageId}"]`) });
    await reloadUntil(page, `${baseUrl}/ops#/dlq`, row);
    await row.locator('summary').click();
    await shot(page, '10-dead-letters');
    await row.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.locator('.toast', { hasText: 'Replayed: 1' }).waitFor();
    await reloadUntil(
      page,
      `${baseUrl}/ops#/trace?messageId=${dead.messageId}`,
      page.locator('.hop-processed.outcome-handled[data-lane="saga-orchestrator"]'),
    );
    await shot(page, '11-replayed-trace');
  }, 180_000);

  let tracedCorrelationId = '';

  it("traces a connection from the user's HTTP request through every service", async () => {
    const { connectionId, correlationId } = await gateway.connectVirtualBroker(user);
    tracedCorrelationId = correlationId;
    await eventually(
      async () => ((await gateway.connectionStatus(user, connectionId)) === 'CONNECTED' ? true : undefined),
      120_000,
    );
    await page.goto(`${baseUrl}/ops#/trace`);
    await page.getByLabel('Search by').selectOption('correlationId');
    await page.getByLabel('Id').fill(correlationId);
    await page.keyboard.press('Enter');
    await page.locator('.swimlanes').waitFor();
    // Each service reports its handling after the fact, so the page is reloaded until all have.
    // (user-account takes no part in a connection: the user deletion asks broker-connection itself.)
    const services = ['broker-connection', 'saga-orchestrator', 'virtual-broker', 'broker-account'];
    const url = page.url();
    for (const service of services)
      await reloadUntil(page, url, page.locator(`.hop-processed[data-lane="${service}"]`));
    const firstHop = page.locator('.swimlanes .hop').first();
    expect(await firstHop.getAttribute('data-kind')).toBe('http');
    expect(await firstHop.getAttribute('data-lane')).toBe('broker-connection');
    expect(await firstHop.textContent()).toMatch(/POST \/api\/broker-connections.*HTTP 20\d/);
    const lanes = await page
      .locator('.lane-head[data-lane]')
      .evaluateAll((heads) => heads.map((head) => head.getAttribute('data-lane')));
    expect(lanes[0]).toBe('broker-connection');
    expect(lanes).toEqual(expect.arrayContaining(services));
    await shot(page, '12-trace');
    await firstHop.click();
    await page.locator('.inspector', { hasText: 'broker-connection answered' }).waitFor();
    await shot(page, '13-trace-http-hop');
    await page.locator('.hop-message').first().click();
    await page.locator('.inspector h3', { hasText: 'Envelope' }).waitFor();
    await page.locator('.inspector', { hasText: 'BrokerConnectionRequested' }).waitFor();
    await shot(page, '14-trace-envelope');
    await page.goto(`${baseUrl}/ops#/overview`);
    await page.locator('section.connections tr[data-broker="virtual"] td[data-status="CONNECTED"]').waitFor();
    await shot(page, '14b-overview-connections');
  }, 300_000);

  it('shows consumers with lag, and stays readable in a narrow window', async () => {
    await page.goto(`${baseUrl}/ops#/consumers`);
    await page.locator('tr.group-row').first().waitFor();
    await shot(page, '15-consumers');
    await page.locator('tr.group-row button', { hasText: 'Reset offsets' }).first().click();
    await page.locator('dialog.confirm button', { hasText: 'Dry run' }).click();
    // The services' groups are live, so Kafka would refuse: the dialog says why instead of resetting.
    await page.locator('dialog.confirm [role=alert]', { hasText: 'live member' }).waitFor();
    await shot(page, '15b-reset-offsets-refused');
    await page.locator('dialog.confirm button', { hasText: 'Cancel' }).click();
    await page.goto(`${baseUrl}/ops#/topics?topic=saga.replies`);
    await page.locator('table.topic-messages tbody tr').first().waitFor();
    await shot(page, '15c-topic-browser');
    await page.setViewportSize({ width: 420, height: 800 });
    await page.goto(`${baseUrl}/ops#/sagas`);
    await page.locator('tr[data-saga-id]').first().waitFor();
    await shot(page, '16-sagas-narrow');
    await page.goto(`${baseUrl}/ops#/trace?correlationId=${tracedCorrelationId}`);
    await page.locator('.swimlanes').waitFor();
    await shot(page, '17-trace-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('answers a non-admin 403 from the ops API and says so plainly in the UI', async () => {
    const other = await gateway.signUp('Not An Admin');
    for (const path of [
      '/ops/sagas',
      '/ops/dlq',
      '/ops/consumer-lag',
      '/ops/topics',
      '/ops/stats',
      `/ops/trace?correlationId=${doomed.correlationId}`,
      `/ops/stream?token=${other.token}`,
    ])
      expect([path, (await gateway.call('GET', path, other.token)).status]).toEqual([path, 403]);
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const userPage = await context.newPage();
    await userPage.goto(`${baseUrl}/ops`);
    await userPage.getByLabel('Email').fill(other.email);
    await userPage.getByLabel('Password').fill(other.password);
    await userPage.getByRole('button', { name: 'Log in' }).click();
    await userPage.getByRole('heading', { name: 'Admins only' }).waitFor({ timeout: 60_000 });
    await shot(userPage, '18-non-admin');
    await context.close();
  });

  it('loads nothing from outside the suite', () => {
    expect(external).toEqual([]);
  });
});
