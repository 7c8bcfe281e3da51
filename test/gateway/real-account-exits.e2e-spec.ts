import { eventually } from '../chaos/support/chaos-stack';
import { useSuiteWithAlpaca } from '../support/sandbox-suite';
import { tradingAs } from '../support/trading-routes';

/**
 * Issue 19 on a real account as a trader meets it: every compiled app behind the gateway (`npm run
 * build` first) and the local Alpaca sandbox. A webhook buy with a take-profit and a stop-loss; once
 * the entry fills, both exits rest at the broker as one OCO order, and when the price reaches one
 * the broker fills it and cancels the other, which the signal's history shows.
 */
describe('take-profit and stop-loss of an automation on an Alpaca account (issue 19)', () => {
  const suite = useSuiteWithAlpaca();
  const { trading } = tradingAs(suite.trader);

  it('rests both exits at the broker once the entry fills; the price reaching one fills it and cancels the other', async () => {
    const { sandbox, client, user, accountId } = suite;
    // The automation service learns of the account through Kafka, so the first attempt may come early.
    const automation = await eventually(async () => {
      const created = await client.http('POST', '/api/automations', user.token, {
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
    const entry = await alert({
      ticker: 'AAPL',
      action: 'buy',
      takeProfit: { amount: '5.00' },
      stopLoss: { amount: '5.00' },
    });
    expect(entry.status).toBe(202);

    const signal = async () =>
      (await client.http('GET', `/api/automations/${automation.automationId}/signals`, user.token)).body.find(
        (candidate: { signalId: string }) => candidate.signalId === entry.body.signalId,
      );
    const exitsWhen = (statuses: Record<string, string>) =>
      eventually(async () => {
        const exits = Object.entries(
          ((await signal())?.order?.exits ?? {}) as Record<string, { kind: string; status: string }>,
        );
        const byKind = Object.fromEntries(exits.map(([orderId, leg]) => [leg.kind, { orderId, ...leg }]));
        return Object.entries(statuses).every(([kind, status]) => byKind[kind]?.status === status)
          ? byKind
          : undefined;
      }, 30_000);

    const resting = await exitsWhen({ 'take-profit': 'PLACED', 'stop-loss': 'PLACED' });
    expect(await signal()).toMatchObject({
      status: 'FILLED',
      filledQuantity: '3',
      averageFillPrice: expect.stringMatching(/^190\.01/),
    });
    expect(resting).toMatchObject({
      'take-profit': { side: 'sell', quantity: '3', limitPrice: '195.01' },
      'stop-loss': { side: 'sell', quantity: '3', stopPrice: '185.01' },
    });
    const order = async (orderId: string) => (await trading('GET', `/orders/${orderId}`)).body;
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

    sandbox.setPrice('AAPL', 19_600);
    const ended = await exitsWhen({ 'take-profit': 'FILLED', 'stop-loss': 'CANCELLED' });
    expect(ended['take-profit']).toMatchObject({ lastFillPrice: '195.99' });
    expect(await order(resting['stop-loss'].orderId)).toMatchObject({ status: 'CANCELLED' });
    const positions = await trading('GET', '/positions');
    expect(positions.body).toEqual([]);

    // The automation counts the position closed by the take-profit: nothing is left to exit.
    const exit = await alert({ ticker: 'AAPL', action: 'exit' });
    const refused = await eventually(async () => {
      const found = (
        await client.http('GET', `/api/automations/${automation.automationId}/signals`, user.token)
      ).body.find((candidate: { signalId: string }) => candidate.signalId === exit.body.signalId);
      return found?.status === 'REJECTED' ? found : undefined;
    }, 30_000);
    expect(refused.reason.code).toBe('NOTHING_TO_EXIT');
    sandbox.setPrice('AAPL', 19_000);
  }, 120_000);
});
