import { startAlpacaSandbox } from '@tradecore/broker-sandboxes';
import {
  expectCircuitFollowsOutage,
  expectFillReconciledAfterCut,
  expectMarketBuyFills,
  expectRefusedLikePaper,
} from '../support/broker-trading-cases';
import { streamOf } from '../support/sandbox-accounts';
import { QUICK_BREAKER, useSuiteWithAlpaca } from '../support/sandbox-suite';
import { tradingAs } from '../support/trading-routes';

/**
 * Issue 20 as a trader meets it: every compiled app behind the gateway (`npm run build` first)
 * and the local Alpaca sandbox. One order API (`/api/trading/accounts/…`) for an Alpaca account
 * and a paper account; fills arrive through the account's trade_updates stream.
 */
describe('trading an Alpaca account through the gateway (issue 20)', () => {
  const suite = useSuiteWithAlpaca(QUICK_BREAKER);
  const { trading, restingBuy, order } = tradingAs(suite.trader);

  it('fills a market order through the stream and updates the position and balance in broker-account', async () => {
    const { placed, filled, balance, account } = await expectMarketBuyFills(
      suite.trader(),
      'fill to position and balance in broker-account',
    );
    expect([placed.status, filled.type, Number(balance.buyingPower), account.buyingPower]).toEqual([
      'NEW',
      'MARKET',
      98099.9,
      '98099.90',
    ]);
  });

  it('rests a limit order, replaces it, and cancels it', async () => {
    const orderId = await restingBuy(5, '150.00');
    const replaced = await trading('PATCH', `/orders/${orderId}`, { quantity: 3 });
    expect(replaced.status).toBe(200);
    expect((await order(orderId)).body).toMatchObject({ status: 'NEW', quantity: 3, limitPrice: '150.00' });
    const cancelled = await trading('POST', `/orders/${orderId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ orderId, status: 'CANCELLED' });
    const open = await trading('GET', '/orders?status=OPEN');
    expect(open.body.map((listed: { orderId: string }) => listed.orderId)).not.toContain(orderId);
    const again = await trading('POST', `/orders/${orderId}/cancel`);
    expect([again.status, again.body.code]).toEqual([422, 'ORDER_NOT_OPEN']);
  });

  it('refuses an over-sized order with the same code as a paper account, through the same route', async () => {
    await expectRefusedLikePaper(suite.trader());
    const listed = await trading('GET', '/orders?status=REJECTED');
    expect(listed.body[0]).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'INSUFFICIENT_BUYING_POWER' },
    });
  });

  it('reconciles a fill made while the stream socket was down: none lost, none doubled', async () => {
    const { sandbox, client, user, connectionId } = suite;
    await expectFillReconciledAfterCut(
      suite.trader(),
      sandbox,
      () => expect(sandbox.dropStreams(1500)).toBeGreaterThan(0),
      () => streamOf(client, user.token, connectionId),
    );
  });

  it('opens the Alpaca circuit in readiness while the sandbox is down, and closes it when it is back', async () => {
    const port = Number(new URL(suite.sandbox.url).port);
    await expectCircuitFollowsOutage(suite.trader(), suite.stack, 'alpaca', {
      start: () => suite.sandbox.stop(),
      end: async () => {
        suite.sandbox = await startAlpacaSandbox({ port, tickMs: 100 });
      },
    });
  });
});
