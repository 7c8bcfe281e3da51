import {
  type AlpacaSandbox,
  TRADESTATION_SANDBOX_ACCOUNTS,
  type TradeStationSandbox,
} from '@tradecore/broker-sandboxes';
import type { ChaosClient, ChaosUser } from '../chaos/support/chaos-client';
import { eventually } from '../chaos/support/chaos-stack';
import { connectAlpaca, connectTradeStation, newAlpacaKeyId } from '../support/sandbox-accounts';
import { useSuiteWithBothSandboxes } from '../support/sandbox-suite';

/**
 * Issue 21: real accounts follow the broker on the health-check schedule, not only on request.
 * Every compiled app behind the gateway (`npm run build` first), the local Alpaca and TradeStation
 * sandboxes. A deposit moves cash without a trade update, and accounts opened or closed at the
 * broker send nothing at all: only the scheduled refresh can see them.
 */
const CHECK_INTERVAL_MS = 1500;
/** How often a replica looks for due checks: a check runs up to one tick after it is due. */
const UPKEEP_TICK_MS = 250;
/** One interval with its jitter and a tick, plus the hop through Kafka to broker-account's read model. */
const WITHIN_ONE_CHECK_MS = CHECK_INTERVAL_MS * 1.2 + UPKEEP_TICK_MS * 1.1 + 1500;
const [DEFAULT_ACCOUNT] = TRADESTATION_SANDBOX_ACCOUNTS;

interface AccountView {
  accountNumber: string;
  status: string;
  balance?: { cash: string };
}

describe('real accounts refresh on the health-check schedule (issue 21)', () => {
  let alpaca: AlpacaSandbox;
  let tradeStation: TradeStationSandbox;
  let client: ChaosClient;
  let user: ChaosUser;
  const apiKeyId = newAlpacaKeyId();

  const suite = useSuiteWithBothSandboxes({
    HEALTH_CHECK_INTERVAL_MS: String(CHECK_INTERVAL_MS),
    HEALTH_CHECK_JITTER: '0.2',
    UPKEEP_TICK_MS: String(UPKEEP_TICK_MS),
  });

  beforeAll(async () => {
    ({ alpaca, tradeStation, client } = suite);
    user = await client.signUp();
  });

  const accountsOf = async (connectionId: string): Promise<AccountView[]> =>
    (await client.http('GET', `/api/broker-accounts?connectionId=${connectionId}`, user.token)).body;

  it('shows a deposit at the broker in broker-account within one check interval, with no request', async () => {
    const connectionId = await connectAlpaca(client, user.token, apiKeyId);
    const cash = async () => Number((await accountsOf(connectionId))[0]?.balance?.cash);
    await eventually(async () => ((await cash()) === 100_000 ? true : undefined), 30_000);

    alpaca.deposit(apiKeyId, 12_345);
    const depositedAt = Date.now();
    await eventually(async () => ((await cash()) === 100_123.45 ? true : undefined), 10_000);
    const seenAfterMs = Date.now() - depositedAt;
    console.log(`deposit visible after ${seenAfterMs} ms (check interval ${CHECK_INTERVAL_MS} ms ± 20%)`);
    expect(seenAfterMs).toBeLessThan(WITHIN_ONE_CHECK_MS);
  });

  it('links an account opened at the broker and marks one closed there CLOSED, with no request', async () => {
    const connectionId = await connectTradeStation(client, user.token, tradeStation);
    expect((await accountsOf(connectionId)).map((account) => account.accountNumber)).toEqual(['SIM1000001M']);

    tradeStation.openAccount({
      ...DEFAULT_ACCOUNT,
      AccountID: 'SIM1000002C',
      AccountType: 'Cash',
      CashBalance: '2500.00',
    });
    const opened = await eventually(async () => {
      const found = (await accountsOf(connectionId)).find(
        (account) => account.accountNumber === 'SIM1000002C',
      );
      return found?.balance ? found : undefined;
    }, WITHIN_ONE_CHECK_MS + 5000);
    expect(opened).toMatchObject({
      status: 'ACTIVE',
      balance: { cash: expect.stringMatching(/^2500(\.00)?$/) },
    });

    tradeStation.closeAccount('SIM1000001M');
    await eventually(async () => {
      const closed = (await accountsOf(connectionId)).find(
        (account) => account.accountNumber === 'SIM1000001M',
      );
      return closed?.status === 'CLOSED' ? true : undefined;
    }, WITHIN_ONE_CHECK_MS + 5000);

    // Listed again: the same account, open once more.
    tradeStation.openAccount(DEFAULT_ACCOUNT);
    await eventually(async () => {
      const statuses = (await accountsOf(connectionId)).map((account) => account.status);
      return statuses.length === 2 && statuses.every((status) => status === 'ACTIVE') ? true : undefined;
    }, WITHIN_ONE_CHECK_MS + 5000);
  });
});
