/**
 * Browser test of the ops dashboard against a running suite (`npm start`), in Debian's headless
 * Chromium through playwright-core. Not part of `npm test`: CI has no browser and no running suite.
 *
 *   OPS_URL=http://localhost:3000 KAFKA_BROKERS=localhost:9092 npm run test:ui
 *
 * Screenshots of every page go to test-results/ops-dashboard/ (or SCREENSHOT_DIR).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { chromium, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';

const baseUrl = process.env.OPS_URL ?? process.env.GATEWAY_URL ?? 'http://localhost:3000';
const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
const adminEmail = process.env.ADMIN_EMAIL ?? 'admin@tradecore.local';
const adminPassword = process.env.ADMIN_PASSWORD ?? 'Admin-Passw0rd!';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = process.env.SCREENSHOT_DIR ?? 'test-results/ops-dashboard';
const TIMEOUT = 30_000;

const steps: string[] = [];
async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await run();
  steps.push(`  ✓ ${name} (${Date.now() - started} ms)`);
  console.log(steps.at(-1));
}

function envelope(type: string, streamId: string, payload: unknown) {
  return {
    messageId: uuidv7(),
    type,
    schemaVersion: 1,
    streamId,
    streamVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: uuidv7(),
    causationId: null,
    payload,
  };
}

/** A connection request for a connection broker-connection does not know: the saga is refused, then its compensation too → FAILED. */
function doomedConnectionRequest() {
  const connectionId = uuidv7();
  return envelope('BrokerConnectionRequested', connectionId, {
    connectionId,
    userId: uuidv7(),
    broker: 'virtual',
    mode: 'paper',
    requestedAt: new Date().toISOString(),
  });
}

async function publish(
  producer: Producer,
  topic: string,
  value: ReturnType<typeof envelope>,
  headers: Record<string, string> = {},
) {
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: value.streamId,
        value: JSON.stringify(value),
        headers: { messageId: value.messageId, type: value.type, ...headers },
      },
    ],
  });
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const kafka = new Kafka({ clientId: 'ops-dashboard-ui-test', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const external: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl)) external.push(request.url());
    });
    page.on('pageerror', (error) => console.error('page error:', error.message));

    await step('logs in as admin through the gateway', async () => {
      await page.goto(`${baseUrl}/ops`);
      await page.getByLabel('Email').waitFor();
      await shot(page, '01-login');
      await page.getByLabel('Email').fill(adminEmail);
      await page.getByLabel('Password').fill(adminPassword);
      await page.keyboard.press('Enter');
      await page.locator('.stat-label', { hasText: 'sagas in flight' }).waitFor();
      await page.locator('figcaption', { hasText: 'p99 saga duration' }).waitFor();
      await shot(page, '02-overview');
    });

    const doomed = doomedConnectionRequest();
    let sagaUrl = '';
    await step('sees a failing saga appear in the list without reloading', async () => {
      await page.goto(`${baseUrl}/ops#/sagas`);
      await page.locator('.live-live').waitFor();
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      await publish(producer, 'broker-connection.events', doomed);
      const row = page.locator(`tr[data-aggregate-id="${doomed.streamId}"][data-status="FAILED"]`);
      await row.waitFor();
      assert.equal(
        await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
        true,
        'the page reloaded',
      );
      await shot(page, '03-sagas-live');
      await row.getByRole('link').click();
      sagaUrl = page.url();
    });

    await step('opens its timeline, aborts it with a confirmation and sees ABORTED', async () => {
      await page.locator('ol.gantt li').first().waitFor();
      assert.ok(
        (await page.locator('ol.gantt li').count()) >= 2,
        'expected the refused step and its compensation',
      );
      await page.locator('.phase-compensating').first().waitFor();
      await page.locator('h1 .badge', { hasText: 'FAILED' }).waitFor();
      assert.equal(
        await page.getByRole('button', { name: 'Compensate' }).isDisabled(),
        true,
        'Compensate only applies to a RUNNING saga',
      );
      await shot(page, '04-saga-detail');
      await page.getByRole('button', { name: 'Abort' }).click();
      await page.getByRole('dialog').getByLabel('Reason').fill('ui test: unknown connection');
      await shot(page, '05-saga-abort-confirm');
      await page.getByRole('dialog').getByRole('button', { name: 'Abort' }).click();
      await page.locator('h1 .badge', { hasText: 'ABORTED' }).waitFor();
      await shot(page, '06-saga-aborted');
      assert.ok(sagaUrl.includes('#/sagas/'));
    });

    const dead = doomedConnectionRequest();
    await step('replays a dead letter and sees it handled', async () => {
      await publish(producer, 'broker-connection.events.dlq', dead, {
        'x-dlq-original-topic': 'broker-connection.events',
        'x-dlq-original-partition': '0',
        'x-dlq-original-offset': '0',
        'x-dlq-consumer-group': 'ui-test.projection',
        'x-dlq-error-message': 'ui test: projection store unavailable',
        'x-dlq-attempts': '5',
        'x-dlq-first-failure-at': new Date().toISOString(),
      });
      const row = page.locator('tr', { has: page.locator(`a[href="#/trace?messageId=${dead.messageId}"]`) });
      for (let i = 0; i < 20 && !(await row.count()); i += 1) {
        await page.goto(`${baseUrl}/ops#/dlq`);
        await page.waitForTimeout(500);
      }
      await row.waitFor();
      await row.locator('summary').click();
      await shot(page, '07-dead-letters');
      await row.getByRole('button', { name: 'Replay', exact: true }).click();
      await page.locator('.toast', { hasText: 'Replayed: 1' }).waitFor();
      await page.goto(`${baseUrl}/ops#/trace?messageId=${dead.messageId}`);
      const handled = page.locator('.hop-processed.outcome-handled[data-lane="saga-orchestrator"]');
      for (let i = 0; i < 20 && !(await handled.count()); i += 1) {
        await page.waitForTimeout(500);
        await page.reload();
      }
      await handled.first().waitFor();
      await shot(page, '08-replayed-trace');
    });

    await step("traces a correlation id and sees every service's hop", async () => {
      await page.goto(`${baseUrl}/ops#/trace`);
      await page.getByLabel('Search by').selectOption('correlationId');
      await page.getByLabel('Id').fill(doomed.correlationId);
      await page.keyboard.press('Enter');
      await page.locator('.swimlanes').waitFor();
      const lanes = await page
        .locator('.lane-head[data-lane]')
        .evaluateAll((heads) => heads.map((head) => head.getAttribute('data-lane')));
      for (const service of ['broker-connection', 'saga-orchestrator', 'broker-account', 'user-account'])
        assert.ok(lanes.includes(service), `no ${service} lane in ${lanes.join(', ')}`);
      for (const service of ['broker-connection', 'saga-orchestrator', 'broker-account', 'user-account'])
        await page.locator(`.hop-processed[data-lane="${service}"]`).first().waitFor();
      await shot(page, '09-trace');
      await page.locator('.hop-message').first().click();
      await page.locator('.inspector h3', { hasText: 'Envelope' }).waitFor();
      await page.locator('.inspector', { hasText: doomed.messageId }).waitFor();
      await shot(page, '10-trace-envelope');
    });

    await step('shows consumers with lag, and stays readable in a narrow window', async () => {
      await page.goto(`${baseUrl}/ops#/consumers`);
      await page.locator('tr.group-row').first().waitFor();
      await shot(page, '11-consumers');
      await page.setViewportSize({ width: 420, height: 800 });
      await page.goto(`${baseUrl}/ops#/sagas`);
      await page.locator('tr[data-saga-id]').first().waitFor();
      await shot(page, '12-sagas-narrow');
      await page.goto(`${baseUrl}/ops#/trace?correlationId=${doomed.correlationId}`);
      await page.locator('.swimlanes').waitFor();
      await shot(page, '13-trace-narrow');
    });

    await step('a non-admin gets 403 from the ops API and a plain message in the UI', async () => {
      const email = `ui-${uuidv7()}@example.com`;
      const password = 'correct horse battery staple';
      const registered = await fetch(`${baseUrl}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, displayName: 'Not An Admin' }),
      });
      assert.equal(registered.status, 201, await registered.text());
      const login = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      for (const path of [
        '/ops/sagas',
        '/ops/dlq',
        '/ops/consumer-lag',
        '/ops/topics',
        '/ops/stats',
        `/ops/trace?correlationId=${doomed.correlationId}`,
      ]) {
        const response = await fetch(`${baseUrl}${path}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        assert.equal(response.status, 403, path);
      }
      const stream = await fetch(`${baseUrl}/ops/stream?token=${accessToken}`);
      assert.equal(stream.status, 403, '/ops/stream');
      const userContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const userPage = await userContext.newPage();
      userPage.setDefaultTimeout(TIMEOUT);
      await userPage.goto(`${baseUrl}/ops`);
      await userPage.getByLabel('Email').fill(email);
      await userPage.getByLabel('Password').fill(password);
      await userPage.getByRole('button', { name: 'Log in' }).click();
      await userPage.getByRole('heading', { name: 'Admins only' }).waitFor();
      await shot(userPage, '14-non-admin');
      await userContext.close();
    });

    assert.deepEqual(external, [], `requests left ${baseUrl}: ${external.join(', ')}`);
    console.log(`\nops dashboard UI: ${steps.length} steps passed; screenshots in ${shots}/`);
  } finally {
    await browser.close();
    await producer.disconnect();
  }
}

main().catch((error) => {
  console.error(steps.join('\n'));
  console.error('\nops dashboard UI test failed:', error);
  process.exit(1);
});
