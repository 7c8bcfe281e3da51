import type { TradeStationSandbox } from '@tradecore/broker-sandboxes';
import type { ChaosUser } from '../chaos/support/chaos-client';
import { APPS, type ChaosStack, progress } from '../chaos/support/chaos-stack';
import { expectExitsOfAnAutomation } from '../support/automation-exits';
import {
  expectCircuitFollowsOutage,
  expectFillReconciledAfterCut,
  expectMarketBuyFills,
  expectPositionReaches,
  expectRefusedLikePaper,
} from '../support/broker-trading-cases';
import type { StreamStatus } from '../support/sandbox-accounts';
import { QUICK_BREAKER, useSuiteWithTradeStation } from '../support/sandbox-suite';
import { fillsOf as fills, quickly, tradingAs } from '../support/trading-routes';

/**
 * Issue 20 for TradeStation: every compiled app behind the gateway (`npm run build` first) and the
 * local TradeStation sandbox. The same order API as Alpaca and paper; fills arrive through the
 * account's HTTP chunked order stream, which exactly one broker-connection replica holds. Also an
 * automation's take-profit and stop-loss (issue 19), here rather than on a stack of their own.
 */
const REPLICA_PORT = APPS.automation + 40;
const LEASE_MS = 1500;

describe('trading a TradeStation account through the gateway (issue 20)', () => {
  let sandbox: TradeStationSandbox;
  let stack: ChaosStack;
  let user: ChaosUser;
  let connectionId: string;
  let accountId: string;
  const suite = useSuiteWithTradeStation({ BROKER_STREAM_LEASE_MS: String(LEASE_MS), ...QUICK_BREAKER });
  beforeAll(() => {
    ({ sandbox, stack, user, connectionId, accountId } = suite);
  });

  const { trading, restingBuy, order } = tradingAs(suite.trader);
  const streamAt = async (base: string) =>
    (await fetch(`${base}/broker-connections/${connectionId}/stream`, {
      headers: { Authorization: `Bearer ${user.token}` },
    }).then((response) => response.json())) as StreamStatus;

  it('fills a market order through the stream and updates the position and balance in broker-account', async () => {
    const { account } = await expectMarketBuyFills(
      suite.trader(),
      'TradeStation fill to position and balance in broker-account',
    );
    expect(account.broker).toBe('tradestation');
  });

  // Issue 19 on a TradeStation account, on this spec's stack (the Alpaca case: real-account-exits).
  it("rests an automation's take-profit and stop-loss as one OCO group; the price reaching one fills it and cancels the other", async () => {
    await expectExitsOfAnAutomation(suite.trader(), (symbol, cents) => sandbox.setPrice(symbol, cents));
    // The 10 shares bought by hand above stay; the automation's 3 came and went.
    expect((await trading('GET', '/positions')).body).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: 10 }),
    ]);
  }, 120_000);

  it('rests a limit order, replaces it in place, and cancels it', async () => {
    const orderId = await restingBuy(5, '150.00');
    const replaced = await trading('PATCH', `/orders/${orderId}`, { quantity: 3, limitPrice: '151.00' });
    expect(replaced.status).toBe(200);
    expect((await order(orderId)).body).toMatchObject({ status: 'NEW', quantity: 3, limitPrice: '151.00' });
    const cancelled = await trading('POST', `/orders/${orderId}/cancel`);
    expect([cancelled.status, cancelled.body]).toEqual([
      200,
      expect.objectContaining({ orderId, status: 'CANCELLED' }),
    ]);
    const again = await trading('POST', `/orders/${orderId}/cancel`);
    expect([again.status, again.body.code]).toEqual([422, 'ORDER_NOT_OPEN']);
  });

  it('refuses an over-sized order with the same code as a paper account', async () => {
    await expectRefusedLikePaper(suite.trader());
  });

  it('reconciles a fill made while the stream was cut: none lost, none doubled', async () => {
    await expectFillReconciledAfterCut(
      suite.trader(),
      sandbox,
      () => expect(sandbox.dropStreams(1500)).toBe(1),
      () => streamAt(stack.url('broker-connection')),
    );
  });

  it('opens the TradeStation circuit in readiness while the sandbox is down, and closes it when it is back', async () => {
    await expectCircuitFollowsOutage(suite.trader(), stack, 'tradestation', {
      start: () => sandbox.setOutage(true),
      end: () => sandbox.setOutage(false),
    });
  });

  it('streams the account from one replica of two, and from the other once that one is killed', async () => {
    await stack.spawnReplica('broker-connection', REPLICA_PORT);
    const replica = `http://127.0.0.1:${REPLICA_PORT}`;
    let most = 0;
    for (
      const until = Date.now() + 2000;
      Date.now() < until;
      await new Promise((resolve) => setTimeout(resolve, 50))
    )
      most = Math.max(most, sandbox.openStreams);
    const [first, second] = [await streamAt(stack.url('broker-connection')), await streamAt(replica)];
    expect([most, first.open, second.open, second.streamedBy]).toEqual([1, true, false, first.replica]);

    const orderId = await restingBuy(2, '180.00');
    await stack.kill('broker-connection');
    const killedAt = Date.now();
    await quickly(async () => ((await streamAt(replica)).listening ? true : undefined), 15_000);
    progress(
      `stream taken over ${Date.now() - killedAt} ms after the replica holding it was killed (lease ${LEASE_MS} ms)`,
    );
    sandbox.setPrice('AAPL', 17_900);
    await expectPositionReaches(suite.trader(), 22);
    const filled = await quickly(async () => {
      const response = await fetch(`${replica}/accounts/${accountId}/orders/${orderId}`, {
        headers: { Authorization: `Bearer ${user.token}` },
      });
      const body = (await response.json()) as { status: string; history: { type: string }[] };
      return body.status === 'FILLED' ? body : undefined;
    });
    expect([fills(filled), sandbox.openStreams, (await streamAt(replica)).streamedBy]).toEqual([
      1,
      1,
      (await streamAt(replica)).replica,
    ]);
  });
});
