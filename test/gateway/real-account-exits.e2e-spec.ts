import { type AlpacaSandbox, startAlpacaSandbox } from '@tradecore/broker-sandboxes';
import { ChaosClient, type ChaosUser } from '../chaos/support/chaos-client';
import { ChaosStack, eventually } from '../chaos/support/chaos-stack';
import { expectExitsOfAnAutomation } from '../support/automation-exits';
import { accountOf, connectAlpaca, sandboxBrokerUrls, streamOf } from '../support/sandbox-accounts';

/**
 * Issue 19 on a real account as a trader meets it: every compiled app behind the gateway (`npm run
 * build` first) and the local Alpaca sandbox (expectExitsOfAnAutomation tells the story). The
 * TradeStation case runs in tradestation-trading.e2e-spec.ts, on that spec's stack.
 */
describe('take-profit and stop-loss of an automation on an Alpaca account (issue 19)', () => {
  let sandbox: AlpacaSandbox;
  let stack: ChaosStack;
  let client: ChaosClient;
  let user: ChaosUser;
  let accountId: string;

  beforeAll(async () => {
    sandbox = await startAlpacaSandbox({ tickMs: 100 });
    stack = await ChaosStack.start({
      ...sandboxBrokerUrls({ alpaca: sandbox }),
      BROKER_STREAM_SCAN_MS: '200',
      BROKER_STREAM_HEARTBEAT_MS: '1000',
      BROKER_STREAM_RECONNECT_MAX_MS: '1000',
    });
    client = new ChaosClient(stack);
    user = await client.signUp();
    const connectionId = await connectAlpaca(client, user.token);
    accountId = await accountOf(client, user.token, connectionId);
    await eventually(
      async () => ((await streamOf(client, user.token, connectionId)).listening ? true : undefined),
      30_000,
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await sandbox?.stop();
  }, 60_000);

  it('rests both exits at the broker once the entry fills; the price reaching one fills it and cancels the other', async () => {
    await expectExitsOfAnAutomation({ client, token: user.token, accountId }, (symbol, cents) =>
      sandbox.setPrice(symbol, cents),
    );
    const positions = await client.http('GET', `/api/trading/accounts/${accountId}/positions`, user.token);
    expect(positions.body).toEqual([]);
  }, 120_000);
});
