import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';
import { type DevBrokerHandle, startDevBroker } from '@tradecore/dev-broker';
import { createTestSchema, eventually, FakeOrchestrator, type TestSchema } from '@tradecore/eventing/testing';
import { AutomationModule } from '../src/automation.module';
import { readWebhookBodiesRaw } from '../src/features/receive-webhook/raw-webhook-body';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ACCOUNT_EVENTS = 'broker-account.events';
const ORDER_EVENTS = 'virtual-broker.events';
const ORDER_COMMANDS = 'virtual-broker.commands';
const COMMANDS = 'automation.commands';
const BROKER_ORDER_COMMANDS = 'broker-connection.commands';
const BROKER_ORDER_EVENTS = 'broker-orders.events';

// The automation service alone, in process, on a dev broker: what it does with the other
// services' events and the saga's commands, played here by hand.
describe('automation over Kafka', () => {
  let broker: DevBrokerHandle;
  let database: TestSchema;
  let app: INestApplication;
  let kafka: FakeOrchestrator;
  const keys = createTestKeyPair();
  const alice = uuidv7();
  const connectionId = uuidv7();
  const accountId = uuidv7();
  const virtualAccountId = uuidv7();
  const auth = `Bearer ${signTestToken(keys.privateKeyPem, { userId: alice })}`;
  const api = () => request(app.getHttpServer());

  const publish = (topic: string, type: string, key: string, payload: object) =>
    kafka.send(topic, { ...kafka.command(type, key, payload), sagaId: undefined });

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: silent });
    database = await createTestSchema('automation_kafka_e2e');
    Object.assign(process.env, {
      DATABASE_URL: database.databaseUrl,
      KAFKA_BROKERS: broker.brokers.join(','),
      LOG_LEVEL: 'silent',
      AUTH_PUBLIC_KEY: keys.publicKeyPem,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/12',
    });
    kafka = new FakeOrchestrator(broker.brokers);
    await kafka.start([
      'saga.replies',
      'automation.events',
      ACCOUNT_EVENTS,
      ORDER_EVENTS,
      ORDER_COMMANDS,
      BROKER_ORDER_COMMANDS,
      BROKER_ORDER_EVENTS,
      COMMANDS,
      'user-account.events',
    ]);
    const moduleRef = await Test.createTestingModule({
      imports: [AutomationModule.forRoot(database.schema)],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    readWebhookBodiesRaw(app);
    await app.init();
    await eventually(
      async () => ((await api().get('/health/ready')).status === 200 ? true : undefined),
      30_000,
    );
    await publish(ACCOUNT_EVENTS, 'BrokerAccountsLinked', connectionId, {
      connectionId,
      userId: alice,
      broker: 'virtual',
      mode: 'paper',
      accounts: [
        { accountId, externalAccountId: 'PA-1', displayName: 'Paper', currency: 'USD', virtualAccountId },
      ],
      linkedAt: new Date().toISOString(),
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await kafka?.stop();
    await database?.drop();
    await broker?.stop();
  });

  const create = (on = accountId) =>
    eventually(async () => {
      const created = await api()
        .post('/automations')
        .set('Authorization', auth)
        .send({
          accountId: on,
          name: 'AAPL',
          symbol: 'AAPL',
          sizing: { kind: 'fixed-quantity', quantity: 2 },
        });
      return created.status === 201 ? created.body : undefined;
    });
  const webhookPath = (url: string) => new URL(url).pathname.replace(/^\/api/, '');
  const get = async (automationId: string) =>
    (await api().get(`/automations/${automationId}`).set('Authorization', auth)).body;

  it('sends an accepted signal to the paper broker as PlaceOrder, and records what the broker answers', async () => {
    const automation = await create();
    const received = await api()
      .post(webhookPath(automation.webhookUrl))
      .set('content-type', 'text/plain')
      .send('{"ticker":"AAPL","action":"buy"}');
    expect(received.status).toBe(202);

    const [order] = await eventually(async () => {
      const sent = kafka.events(ORDER_COMMANDS, 'PlaceOrder');
      return sent.length ? sent : undefined;
    });
    expect(order.payload).toEqual({
      orderId: expect.any(String),
      virtualAccountId,
      userId: alice,
      symbol: 'AAPL',
      side: 'buy',
      kind: 'market',
      quantity: '2',
      timeInForce: 'day',
    });
    const { orderId } = order.payload as { orderId: string };
    await publish(ORDER_EVENTS, 'OrderRejected', virtualAccountId, {
      orderId,
      virtualAccountId,
      reason: { code: 'SHORT_SELLING_NOT_SUPPORTED', message: 'no shorts' },
      rejectedAt: new Date().toISOString(),
    });
    const signal = await eventually(async () => {
      const [latest] = (
        await api().get(`/automations/${automation.automationId}/signals`).set('Authorization', auth)
      ).body;
      return latest?.status === 'REJECTED' ? latest : undefined;
    });
    expect(signal.reason).toEqual({
      code: 'SHORT_SELLING_NOT_SUPPORTED',
      message: expect.stringMatching(/^the broker refused the order: no shorts; /),
    });
  }, 60_000);

  it('sends an accepted signal on an Alpaca account to broker-connection as PlaceBrokerOrder, and records its fill', async () => {
    const alpacaConnectionId = uuidv7();
    const alpacaAccountId = uuidv7();
    await publish(ACCOUNT_EVENTS, 'BrokerAccountsLinked', alpacaConnectionId, {
      connectionId: alpacaConnectionId,
      userId: alice,
      broker: 'alpaca',
      mode: 'paper',
      accounts: [
        { accountId: alpacaAccountId, externalAccountId: 'PA-9', displayName: 'Alpaca', currency: 'USD' },
      ],
      linkedAt: new Date().toISOString(),
    });
    const automation = await create(alpacaAccountId);
    expect(automation).toMatchObject({ broker: 'alpaca', accountId: alpacaAccountId });
    const alert = (body: string) =>
      api().post(webhookPath(automation.webhookUrl)).set('content-type', 'text/plain').send(body);
    expect((await alert('{"ticker":"AAPL","action":"buy"}')).status).toBe(202);

    const [order] = await eventually(async () => {
      const sent = kafka.events(BROKER_ORDER_COMMANDS, 'PlaceBrokerOrder');
      return sent.length ? sent : undefined;
    });
    expect(kafka.events(ORDER_COMMANDS, 'PlaceOrder').map((sent) => sent.payload)).not.toContainEqual(
      expect.objectContaining({ orderId: (order.payload as { orderId: string }).orderId }),
    );
    expect(order.payload).toEqual({
      orderId: expect.any(String),
      accountId: alpacaAccountId,
      userId: alice,
      symbol: 'AAPL',
      side: 'BUY',
      kind: 'MARKET',
      quantity: 2,
      limitPrice: null,
      stopPrice: null,
      timeInForce: 'DAY',
    });
    const ref = {
      orderId: (order.payload as { orderId: string }).orderId,
      accountId: alpacaAccountId,
      connectionId: alpacaConnectionId,
      userId: alice,
    };
    const at = new Date().toISOString();
    await publish(BROKER_ORDER_EVENTS, 'BrokerOrderAccepted', alpacaAccountId, {
      ...ref,
      brokerOrderId: 'b-1',
      acceptedAt: at,
    });
    const fill = (orderId: string, price: string, positionQuantity: number) =>
      publish(BROKER_ORDER_EVENTS, 'BrokerOrderFilled', alpacaAccountId, {
        ...{ ...ref, orderId, symbol: 'AAPL', side: 'BUY', quantity: 2, price, averageFillPrice: price },
        ...{ filledQuantity: 2, remainingQuantity: 0, positionQuantity, filledAt: at },
      });
    await fill(ref.orderId, '190.01', 2);
    const signals = () =>
      api().get(`/automations/${automation.automationId}/signals`).set('Authorization', auth);
    const filled = await eventually(async () => {
      const [latest] = (await signals()).body;
      return latest?.status === 'FILLED' ? latest : undefined;
    });
    expect(filled).toMatchObject({ orderId: ref.orderId, filledQuantity: '2', averageFillPrice: '190.0100' });
    expect(filled.placedAt).not.toBeNull();

    const raise = { maxEntriesPerDirection: 2 };
    await api().patch(`/automations/${automation.automationId}`).set('Authorization', auth).send(raise);
    expect((await alert('{"ticker":"AAPL","action":"add","stopLoss":{"percent":"2"}}')).status).toBe(202);
    const [, added] = await eventually(async () => {
      const sent = kafka.events(BROKER_ORDER_COMMANDS, 'PlaceBrokerOrder');
      return sent.length === 2 ? sent : undefined;
    });
    await fill((added.payload as { orderId: string }).orderId, '200.00', 4);
    // Once the entry filled, its stop-loss goes to broker-connection as one exit command.
    const [exits] = await eventually(async () => {
      const sent = kafka.events(BROKER_ORDER_COMMANDS, 'PlaceBrokerExitOrders');
      return sent.length ? sent : undefined;
    });
    expect(exits.payload).toEqual({
      ...{ groupId: expect.any(String), accountId: alpacaAccountId, userId: alice, symbol: 'AAPL' },
      ...{ side: 'SELL', quantity: 2, timeInForce: 'GTC', takeProfit: null },
      stopLoss: { orderId: expect.any(String), stopPrice: '196.00' },
    });
  }, 60_000);

  it('pauses an automation whose account is deleted, saying why, and resumes it when the account comes back', async () => {
    const automation = await create();
    await publish(ACCOUNT_EVENTS, 'BrokerAccountsDeleted', connectionId, {
      connectionId,
      userId: alice,
      accountIds: [accountId],
      deletedAt: new Date().toISOString(),
    });
    const paused = await eventually(async () => {
      const view = await get(automation.automationId);
      return view.status === 'PAUSED' ? view : undefined;
    });
    expect(paused.pausedReason).toEqual({ code: 'ACCOUNT_GONE', message: expect.any(String) });

    await publish(ACCOUNT_EVENTS, 'BrokerAccountsRestored', connectionId, {
      connectionId,
      userId: alice,
      accountIds: [accountId],
      restoredAt: new Date().toISOString(),
    });
    await eventually(async () =>
      (await get(automation.automationId)).status === 'ACTIVE' ? true : undefined,
    );
  }, 60_000);

  it('deletes the automations of accounts a saga names, replies with their ids (asked again, the same), and restores them on compensation', async () => {
    const automation = await create();
    const deletion = { connectionId, accountIds: [accountId], deletionId: uuidv7() };
    const deleted = await kafka.ask(
      COMMANDS,
      kafka.command('DeleteAccountAutomations', connectionId, deletion),
    );
    expect(deleted).toMatchObject({
      outcome: 'succeeded',
      result: { deletedAutomationIds: expect.arrayContaining([automation.automationId]) },
    });
    // A resend (its first reply lost) finds them deleted already, and still names them for the compensation.
    const resent = await kafka.ask(
      COMMANDS,
      kafka.command('DeleteAccountAutomations', connectionId, deletion),
    );
    expect(resent).toMatchObject({
      outcome: 'succeeded',
      result: deleted.outcome === 'succeeded' ? deleted.result : {},
    });
    expect(
      (await api().get(`/automations/${automation.automationId}`).set('Authorization', auth)).status,
    ).toBe(404);

    const ids =
      deleted.outcome === 'succeeded' && 'deletedAutomationIds' in deleted.result
        ? [...deleted.result.deletedAutomationIds]
        : [];
    const restored = await kafka.ask(
      COMMANDS,
      kafka.command('RestoreAutomations', connectionId, { automationIds: ids }),
    );
    expect(restored).toMatchObject({ outcome: 'succeeded' });
    expect((await get(automation.automationId)).status).toBe('ACTIVE');

    const refused = await kafka.ask(COMMANDS, kafka.command('DeleteUserAutomations', alice, { userId: '' }));
    expect(refused).toMatchObject({ outcome: 'failed', reason: { code: 'INVALID_COMMAND' } });
  }, 60_000);
});
