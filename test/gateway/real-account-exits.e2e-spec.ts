import { expectExitsOfAnAutomation } from '../support/automation-exits';
import { useSuiteWithAlpaca } from '../support/sandbox-suite';

/**
 * Issue 19 on a real account as a trader meets it: every compiled app behind the gateway (`npm run
 * build` first) and the local Alpaca sandbox (expectExitsOfAnAutomation tells the story). The
 * TradeStation case runs in tradestation-trading.e2e-spec.ts, on that spec's stack.
 */
describe('take-profit and stop-loss of an automation on an Alpaca account (issue 19)', () => {
  const suite = useSuiteWithAlpaca();

  it('rests both exits at the broker once the entry fills; the price reaching one fills it and cancels the other', async () => {
    const { sandbox, client, user, accountId } = suite;
    await expectExitsOfAnAutomation(suite.trader(), (symbol, cents) => sandbox.setPrice(symbol, cents));
    const positions = await client.http('GET', `/api/trading/accounts/${accountId}/positions`, user.token);
    expect(positions.body).toEqual([]);
  }, 120_000);
});
