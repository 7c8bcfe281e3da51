import { eventually } from '../chaos/support/chaos-stack';
import type { Trader } from './trading-routes';

/**
 * Issue 19 on a real account as a trader meets it, whichever broker holds it: a webhook buy of 3
 * AAPL (quoted 190.00/190.01) with a take-profit and a stop-loss 5.00 from the fill; once the entry
 * fills, both exits rest at the broker as one OCO order, and when `setPrice` moves AAPL to 196.00
 * the broker fills the take-profit and cancels the stop-loss, which the signal's history shows.
 * The automation then has nothing left to exit. AAPL is quoted at 190.00 again at the end.
 */
export async function expectExitsOfAnAutomation(
  { client, token, accountId }: Trader,
  setPrice: (symbol: string, cents: number) => void,
): Promise<void> {
  // The automation service learns of the account through Kafka, so the first attempt may come early.
  const automation = await eventually(async () => {
    const created = await client.http('POST', '/api/automations', token, {
      accountId,
      name: 'AAPL with exits',
      symbol: 'AAPL',
      sizing: { kind: 'fixed-quantity', quantity: 3 },
    });
    return created.status === 201 ? created.body : undefined;
  }, 30_000);
  const webhook = new URL(automation.webhookUrl).pathname;
  const alert = (message: object) =>
    client.http('POST', webhook, undefined, undefined, JSON.stringify(message));
  const signalOf = async (signalId: string) =>
    (await client.http('GET', `/api/automations/${automation.automationId}/signals`, token)).body.find(
      (candidate: { signalId: string }) => candidate.signalId === signalId,
    );
  const entry = await alert({
    ticker: 'AAPL',
    action: 'buy',
    takeProfit: { amount: '5.00' },
    stopLoss: { amount: '5.00' },
  });
  expect(entry.status).toBe(202);

  const exitsWhen = (statuses: Record<string, string>) =>
    eventually(async () => {
      const exits = Object.entries(
        ((await signalOf(entry.body.signalId))?.order?.exits ?? {}) as Record<
          string,
          { kind: string; status: string }
        >,
      );
      const byKind = Object.fromEntries(exits.map(([orderId, leg]) => [leg.kind, { orderId, ...leg }]));
      return Object.entries(statuses).every(([kind, status]) => byKind[kind]?.status === status)
        ? byKind
        : undefined;
    }, 30_000);

  const resting = await exitsWhen({ 'take-profit': 'PLACED', 'stop-loss': 'PLACED' });
  expect(await signalOf(entry.body.signalId)).toMatchObject({
    status: 'FILLED',
    filledQuantity: '3',
    averageFillPrice: expect.stringMatching(/^190\.01/),
  });
  expect(resting).toMatchObject({
    'take-profit': { side: 'sell', quantity: '3', limitPrice: '195.01' },
    'stop-loss': { side: 'sell', quantity: '3', stopPrice: '185.01' },
  });
  const order = async (orderId: string) =>
    (await client.http('GET', `/api/trading/accounts/${accountId}/orders/${orderId}`, token)).body;
  expect(await order(resting['take-profit'].orderId)).toMatchObject({
    type: 'LIMIT',
    side: 'SELL',
    status: 'NEW',
    limitPrice: '195.01',
    timeInForce: 'GTC',
  });
  expect(await order(resting['stop-loss'].orderId)).toMatchObject({
    type: 'STOP',
    side: 'SELL',
    status: 'NEW',
    stopPrice: '185.01',
  });

  setPrice('AAPL', 19_600);
  const ended = await exitsWhen({ 'take-profit': 'FILLED', 'stop-loss': 'CANCELLED' });
  expect(ended['take-profit']).toMatchObject({ lastFillPrice: '195.99' });
  expect(await order(resting['stop-loss'].orderId)).toMatchObject({ status: 'CANCELLED' });

  // The automation counts the position closed by the take-profit: nothing is left to exit.
  const exit = await alert({ ticker: 'AAPL', action: 'exit' });
  const refused = await eventually(async () => {
    const found = await signalOf(exit.body.signalId);
    return found?.status === 'REJECTED' ? found : undefined;
  }, 30_000);
  expect(refused.reason.code).toBe('NOTHING_TO_EXIT');
  setPrice('AAPL', 19_000);
}
