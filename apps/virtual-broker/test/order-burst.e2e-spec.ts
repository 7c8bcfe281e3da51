import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { useVirtualBroker } from './virtual-broker-test-kit';

const TRADER = 'burst-trader';
const BURST = 50;

describe('a burst of orders on one paper account', () => {
  const suite = useVirtualBroker(TRADER);
  const buy = (server: Parameters<typeof request>[0], accountId: string) =>
    request(server)
      .post(`/accounts/${accountId}/orders`)
      .set({ Authorization: `Bearer ${suite.vb.tokenFor(TRADER)}` })
      .send({ symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 1 });
  const provisioned = async () => {
    const accountId = uuidv7();
    await suite.vb.provision({ userId: TRADER, connectionId: 'burst', accountId, startingCash: '100000.00' });
    return accountId;
  };
  /** Each order's own events side by side in the stream: placed, then filled, never interleaved. */
  const placementsAndFills = async (accountId: string) => {
    const { schema, dataSource } = suite.vb.database;
    const rows: { type: string; order_id: string }[] = await dataSource.query(
      `SELECT type, payload->>'orderId' AS order_id FROM "${schema}".events
       WHERE stream_id = $1 AND type IN ('OrderPlaced', 'OrderFilled') ORDER BY version`,
      [accountId],
    );
    return rows;
  };

  it(`accepts all ${BURST} orders sent at once to one process, each decided after the one before`, async () => {
    const accountId = await provisioned();

    const answers = await Promise.all(
      Array.from({ length: BURST }, () => buy(suite.vb.app.getHttpServer(), accountId)),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(BURST).fill(201));
    const events = await placementsAndFills(accountId);
    expect(events).toHaveLength(2 * BURST);
    for (let i = 0; i < events.length; i += 2) {
      expect([events[i].type, events[i + 1].type]).toEqual(['OrderPlaced', 'OrderFilled']);
      expect(events[i + 1].order_id).toBe(events[i].order_id);
    }
    const position = await request(suite.vb.app.getHttpServer())
      .get(`/accounts/${accountId}/positions`)
      .set({ Authorization: `Bearer ${suite.vb.tokenFor(TRADER)}` })
      .expect(200);
    expect(position.body).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: BURST })]);
  });

  it('accepts a burst split over two replicas, the lost races decided again on the fresh state', async () => {
    const accountId = await provisioned();
    const other = await suite.vb.startReplica();

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        buy(i % 2 === 0 ? suite.vb.app.getHttpServer() : other.app.getHttpServer(), accountId),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect(await placementsAndFills(accountId)).toHaveLength(40);
  });
});
