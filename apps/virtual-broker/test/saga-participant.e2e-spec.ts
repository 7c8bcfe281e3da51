import { v7 as uuidv7 } from 'uuid';
import { eventually, useVirtualBroker } from './virtual-broker-test-kit';

const TRADER = 'trader-1';

describe('virtual-broker as a saga participant over Kafka', () => {
  const suite = useVirtualBroker(TRADER);
  const { http, as, place, accountId } = suite;

  it('provisions the paper accounts a saga asks for and replies on saga.replies', async () => {
    const command = suite.vb.orchestrator.commandEnvelope('ProvisionVirtualAccounts', 'connection-1', {
      connectionId: 'connection-1',
      userId: TRADER,
      accounts: [{ virtualAccountId: accountId, currency: 'USD', startingCash: '100000.00' }],
    });
    await suite.vb.orchestrator.deliver(command);

    const reply = await suite.vb.orchestrator.replyTo(command);
    expect(reply.payload).toEqual({
      sagaId: command.sagaId,
      step: 'ProvisionVirtualAccounts',
      commandType: 'ProvisionVirtualAccounts',
      commandMessageId: command.messageId,
      outcome: 'succeeded',
      result: {},
    });
    const accounts = await http().get('/accounts').set(as(TRADER)).expect(200);
    expect(accounts.body).toEqual([
      expect.objectContaining({
        accountId,
        cash: '100000.00',
        buyingPower: '100000.00',
        realizedPnl: '0.00',
      }),
    ]);
  });

  it('provisions once when the provisioning command is delivered twice, or sent again by a retrying saga', async () => {
    const id = uuidv7();
    const command = suite.vb.orchestrator.commandEnvelope('ProvisionVirtualAccounts', 'connection-2', {
      connectionId: 'connection-2',
      userId: 'trader-3',
      accounts: [{ virtualAccountId: id, currency: 'USD', startingCash: '5000.00' }],
    });
    const retry = { ...command, messageId: uuidv7() };
    await suite.vb.orchestrator.deliver(command);
    await suite.vb.orchestrator.deliver(command);
    await suite.vb.orchestrator.deliver(retry);

    expect((await suite.vb.orchestrator.replyTo(retry)).payload.outcome).toBe('succeeded');
    const { schema, dataSource } = suite.vb.database;
    const events = await dataSource.query(`SELECT type FROM "${schema}".events WHERE stream_id = $1`, [id]);
    expect(events).toEqual([{ type: 'PaperAccountProvisioned' }]);
    const announced = () =>
      suite.vb.orchestrator.events.filter(
        (event) =>
          event.type === 'VirtualAccountsProvisioned' && event.payload.connectionId === 'connection-2',
      );
    await eventually(() => (announced().length > 0 ? true : undefined));
    expect(announced()).toHaveLength(1);
    expect(
      suite.vb.orchestrator.replies.filter((reply) => reply.payload.commandMessageId === command.messageId),
    ).toHaveLength(1);
  });

  it('answers a provisioning that clashes with an existing account as a failed reply with its code', async () => {
    const command = suite.vb.orchestrator.commandEnvelope('ProvisionVirtualAccounts', 'connection-9', {
      connectionId: 'connection-9',
      userId: 'someone-else',
      accounts: [{ virtualAccountId: accountId, currency: 'USD', startingCash: '1.00' }],
    });
    await suite.vb.orchestrator.deliver(command);

    const reply = await suite.vb.orchestrator.replyTo(command);
    expect(reply.payload).toMatchObject({
      outcome: 'failed',
      reason: { code: 'ACCOUNT_ALREADY_PROVISIONED' },
    });
  });

  it('provisions all of a command or nothing: a failed reply leaves no account behind', async () => {
    const [good, bad] = [uuidv7(), uuidv7()];
    const command = suite.vb.orchestrator.commandEnvelope('ProvisionVirtualAccounts', 'connection-4', {
      connectionId: 'connection-4',
      userId: 'trader-4',
      accounts: [
        { virtualAccountId: good, currency: 'USD', startingCash: '1000.00' },
        { virtualAccountId: bad, currency: 'dollars', startingCash: '1000.00' },
      ],
    });
    await suite.vb.orchestrator.deliver(command);

    expect((await suite.vb.orchestrator.replyTo(command)).payload).toMatchObject({
      outcome: 'failed',
      reason: { code: 'INVALID_CURRENCY' },
    });
    const { schema, dataSource } = suite.vb.database;
    expect(
      await dataSource.query(`SELECT 1 FROM "${schema}".events WHERE stream_id = ANY($1)`, [[good, bad]]),
    ).toEqual([]);
    expect((await http().get('/accounts').set(as('trader-4'))).body).toEqual([]);
  });

  it('cancels open orders and purges the accounts for a disconnecting connection, then restores them', async () => {
    const open = await place({
      symbol: 'AAPL',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1,
      limitPrice: '2.00',
      timeInForce: 'GTC',
    }).expect(201);
    const ids = { connectionId: 'connection-1', virtualAccountIds: [accountId] };

    const cancel = suite.vb.orchestrator.commandEnvelope('CancelOpenOrders', 'connection-1', ids);
    await suite.vb.orchestrator.deliver(cancel);
    expect((await suite.vb.orchestrator.replyTo(cancel)).payload).toMatchObject({
      outcome: 'succeeded',
      result: { cancelledOrderIds: [open.body.orderId] },
    });

    const purge = suite.vb.orchestrator.commandEnvelope('PurgeVirtualAccounts', 'connection-1', ids);
    await suite.vb.orchestrator.deliver(purge);
    expect((await suite.vb.orchestrator.replyTo(purge)).payload.outcome).toBe('succeeded');
    expect((await http().get('/accounts').set(as(TRADER))).body).toEqual([]);

    const restore = suite.vb.orchestrator.commandEnvelope('RestoreVirtualAccounts', 'connection-1', ids);
    await suite.vb.orchestrator.deliver(restore);
    expect((await suite.vb.orchestrator.replyTo(restore)).payload.outcome).toBe('succeeded');
    await eventually(async () =>
      (await http().get('/accounts').set(as(TRADER))).body.length === 1 ? true : undefined,
    );
  });

  it('refuses to purge accounts of another connection', async () => {
    const purge = suite.vb.orchestrator.commandEnvelope('PurgeVirtualAccounts', 'connection-2', {
      connectionId: 'connection-2',
      virtualAccountIds: [accountId],
    });
    await suite.vb.orchestrator.deliver(purge);
    expect((await suite.vb.orchestrator.replyTo(purge)).payload).toMatchObject({
      outcome: 'failed',
      reason: { code: 'ACCOUNT_OF_ANOTHER_CONNECTION' },
    });
  });

  it('reports ready and serves metrics', async () => {
    await eventually(async () => ((await http().get('/health/ready')).status === 200 ? true : undefined));
    expect((await http().get('/metrics')).status).toBe(200);
  });
});
