import { randomBytes } from 'node:crypto';
import {
  adminToken,
  alert,
  automationSuite,
  call,
  connectPaper,
  eventually,
  reachable,
  signUp,
  shares,
} from './automation-suite';

const GATEWAY_PORT = 3800;

describe('automations through the gateway', () => {
  const { ada, createAutomation, signalsOf, signalBecomes } = automationSuite({
    database: 'tradecore_automation_test',
    gatewayPort: GATEWAY_PORT,
    brokerPort: 9892,
    redisDb: 11,
  });

  it('turns a webhook into a filled order on the paper account, with the signal history to show it', async () => {
    const automation = await createAutomation({ name: 'AAPL breakout', symbol: 'AAPL', sizing: shares(3) });
    expect(automation).toMatchObject({
      status: 'ACTIVE',
      accountId: ada.accountId,
      maxEntriesPerDirection: 1,
    });
    expect(automation.webhookUrl).toMatch(
      new RegExp(`^http://localhost:${GATEWAY_PORT}/api/webhooks/[A-Za-z0-9_-]{43}$`),
    );
    const webhookUrl = reachable(automation);

    const received = await alert(webhookUrl, {
      ticker: 'NASDAQ:AAPL',
      action: 'buy',
      price: '190.00',
      strategy: 'x',
    });
    expect(received).toMatchObject({
      status: 202,
      body: { signalId: expect.any(String), status: 'RECEIVED' },
    });

    const filled = await signalBecomes(automation.automationId, received.body.signalId, [
      'FILLED',
      'REJECTED',
    ]);
    expect(filled).toMatchObject({
      status: 'FILLED',
      payload: { ticker: 'AAPL', action: 'buy', price: '190.00', extra: { strategy: 'x' } },
      order: { symbol: 'AAPL', side: 'buy', kind: 'market', quantity: '3' },
      filledQuantity: '3',
      averageFillPrice: expect.stringMatching(/^\d+\.\d+$/),
    });
    expect(filled.timings.filledMs).toBeGreaterThanOrEqual(filled.timings.decidedMs);
    const order = await call(
      'GET',
      `/api/virtual-broker/accounts/${ada.virtualAccountId}/orders/${filled.orderId}`,
      ada.token,
    );
    expect(order.body).toMatchObject({ status: 'FILLED' });
    const positions = (
      await call('GET', `/api/virtual-broker/accounts/${ada.virtualAccountId}/positions`, ada.token)
    ).body;
    expect(JSON.stringify(positions)).toContain('AAPL');

    // The ops trace follows the signal from the webhook request through the paper broker's fill.
    const admin = await adminToken();
    const traced = await eventually(async () => {
      const entries: { type: string }[] =
        (await call('GET', `/ops/trace?correlationId=${received.correlationId}`, admin)).body?.entries ?? [];
      return entries.some((entry) => entry.type === 'SignalOrderFilled')
        ? entries.map((entry) => entry.type)
        : undefined;
    });
    expect(traced).toEqual(
      expect.arrayContaining([
        'SignalReceived',
        'SignalAccepted',
        'OrderPlaced',
        'OrderFilled',
        'SignalOrderFilled',
      ]),
    );

    // The same alert again cannot buy twice; another one is past the pyramiding limit of 1.
    const again = await alert(webhookUrl, { ticker: 'AAPL', action: 'buy', signalId: 'tv-1' });
    expect(again.status).toBe(202);
    expect(await alert(webhookUrl, { ticker: 'AAPL', action: 'buy', signalId: 'tv-1' })).toMatchObject({
      status: 200,
      body: { signalId: again.body.signalId, status: 'DUPLICATE' },
    });
    const limited = await signalBecomes(automation.automationId, again.body.signalId, ['REJECTED', 'FILLED']);
    expect(limited).toMatchObject({ status: 'REJECTED', reason: { code: 'PYRAMIDING_LIMIT' } });
    expect(
      (await signalsOf(automation.automationId)).filter((s: { orderId: string | null }) => s.orderId),
    ).toHaveLength(1);
  }, 120_000);

  it('rejects signals while paused, saying how to resume', async () => {
    const automation = await createAutomation({ name: 'Paused', symbol: 'MSFT', sizing: shares(1) });
    const paused = await call('PATCH', `/api/automations/${automation.automationId}`, ada.token, {
      active: false,
    });
    expect(paused).toMatchObject({ status: 200, body: { status: 'PAUSED' } });
    const received = await alert(reachable(automation), {
      ticker: 'MSFT',
      action: 'buy',
    });
    const rejected = await signalBecomes(automation.automationId, received.body.signalId, [
      'REJECTED',
      'FILLED',
    ]);
    expect(rejected.reason).toEqual({
      code: 'AUTOMATION_PAUSED',
      message: expect.stringMatching(/resume it/),
    });
    expect(rejected.orderId).toBeNull();
  }, 60_000);

  it('answers 404 for an unknown or rotated-away token and names the field of a malformed body', async () => {
    const automation = await createAutomation({
      name: 'Rotated',
      sizing: { kind: 'cash', amount: '500.00' },
    });
    const oldUrl = reachable(automation);
    expect((await alert(oldUrl, { ticker: 'AAPL', action: 'sell', quantity: 1.5 })).body).toMatchObject({
      statusCode: 400,
      details: [{ field: 'quantity', reason: expect.any(String) }],
    });
    const rotated = await call('POST', `/api/automations/${automation.automationId}/rotate-token`, ada.token);
    expect(rotated.body.webhookUrl).not.toBe(automation.webhookUrl);
    expect((await alert(oldUrl, { ticker: 'AAPL', action: 'buy' })).status).toBe(404);
    expect(
      (
        await alert(`http://127.0.0.1:${GATEWAY_PORT}/api/webhooks/${'x'.repeat(43)}`, {
          ticker: 'AAPL',
          action: 'buy',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await alert(reachable(rotated.body), {
          ticker: 'AAPL',
          action: 'buy',
        })
      ).status,
    ).toBe(202);
  }, 60_000);

  it('shows an automation to its owner only, and forgets it once deleted', async () => {
    const automation = await createAutomation({ name: 'Mine', sizing: shares(1) });
    const email = `other-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'correct horse battery staple';
    await call('POST', '/api/auth/register', undefined, { email, password, displayName: 'Bob' });
    const other = (await call('POST', '/api/auth/login', undefined, { email, password })).body.accessToken;
    expect((await call('GET', `/api/automations/${automation.automationId}`, other)).status).toBe(404);
    expect(
      (
        await call('POST', '/api/automations', other, {
          accountId: ada.accountId,
          name: 'theirs',
          sizing: shares(1),
        })
      ).status,
    ).toBe(404);
    expect((await call('DELETE', `/api/automations/${automation.automationId}`, other)).status).toBe(404);
    expect((await call('DELETE', `/api/automations/${automation.automationId}`, ada.token)).status).toBe(204);
    expect((await call('GET', `/api/automations/${automation.automationId}`, ada.token)).status).toBe(404);
    expect(
      (
        await alert(reachable(automation), {
          ticker: 'AAPL',
          action: 'buy',
        })
      ).status,
    ).toBe(404);
  }, 60_000);

  it('deletes the automations of a connection when it is disconnected', async () => {
    const connection = await connectPaper(ada.token);
    const doomed = await createAutomation(
      { name: 'On the old connection', sizing: shares(1) },
      { token: ada.token, accountId: connection.accountId },
    );
    const kept = await createAutomation({ name: 'Elsewhere', sizing: shares(1) });
    expect(
      (await call('POST', `/api/broker-connections/${connection.connectionId}/disconnect`, ada.token)).status,
    ).toBeLessThan(300);

    await eventually(async () =>
      (await call('GET', `/api/automations/${doomed.automationId}`, ada.token)).status === 404
        ? true
        : undefined,
    );
    expect((await alert(reachable(doomed), { ticker: 'AAPL', action: 'buy' })).status).toBe(404);
    expect((await call('GET', `/api/automations/${kept.automationId}`, ada.token)).body).toMatchObject({
      status: 'ACTIVE',
    });
  }, 90_000);

  it('deletes every automation of a user who deletes their account', async () => {
    const bob = await signUp('bob');
    const connection = await connectPaper(bob);
    const automations = [
      await createAutomation(
        { name: 'One', sizing: shares(1) },
        { token: bob, accountId: connection.accountId },
      ),
      await createAutomation(
        { name: 'Two', sizing: shares(1) },
        { token: bob, accountId: connection.accountId },
      ),
    ];
    expect((await call('DELETE', '/api/users/me', bob)).status).toBe(202);

    for (const automation of automations)
      await eventually(async () =>
        (
          await alert(reachable(automation), {
            ticker: 'AAPL',
            action: 'buy',
          })
        ).status === 404
          ? true
          : undefined,
      );
  }, 120_000);

  it('lets an admin check and rebuild its read models through the gateway, and points Kafka-fed ones at their topic', async () => {
    const admin = await adminToken();
    const ops = '/ops/projections/automation';
    expect((await call('GET', ops, ada.token)).status).toBe(403);
    const listed = await call('GET', ops, admin);
    expect(
      listed.body.projections.map((p: { name: string; source: string }) => `${p.name}:${p.source}`),
    ).toEqual(['automations:event-store', 'broker-accounts:kafka']);
    const fedFromKafka = await call('POST', `${ops}/broker-accounts/rebuild`, admin);
    expect(fedFromKafka).toMatchObject({
      status: 422,
      body: { code: 'PROJECTION_FED_FROM_KAFKA', details: { topic: 'broker-account.events' } },
    });
    const automation = await createAutomation({
      name: 'Rebuilt',
      sizing: { kind: 'cash', amount: '100.00' },
    });
    // After the deletion tests above: signals rejected by their deleted automation's stream read as
    // written by that stream too (alsoWrittenBy), so the check replays both and finds no drift.
    const check = await call('POST', `${ops}/automations/drift-check`, admin);
    expect(check.body).toMatchObject({ projection: 'automations', rowsOffVersion: 0, drifted: false });
    const started = await call('POST', `${ops}/automations/rebuild`, admin);
    expect(started.status).toBe(202);
    await eventually(async () => {
      const { rebuilds } = (await call('GET', `${ops}/automations/rebuilds`, admin)).body;
      const run = rebuilds.find((candidate: { id: string }) => candidate.id === started.body.runId);
      return run?.phase === 'swapped' ? run : undefined;
    });
    expect((await call('GET', `/api/automations/${automation.automationId}`, ada.token)).body).toMatchObject({
      name: 'Rebuilt',
    });
    expect((await call('POST', `${ops}/automations/drift-check`, admin)).body).toMatchObject({
      drifted: false,
      rowsDiffering: 0,
    });
  });
});
