import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { findInSchemas, findInTopics } from '../../../test/support/leftover-scan';
import { eventually } from './support/orchestrator-kit';
import { useSuiteWithSlowAlpaca } from './support/suite-with-alpaca';

// Once a UserDeletion saga has completed, nothing in any schema or topic reads as the person: not
// their email or name, nor their broker's account number, account name or balances (docs/privacy.md).
describe('complete erasure of a deleted user', () => {
  const suite = useSuiteWithSlowAlpaca(0);
  const { call, sql } = suite;
  let kafka: Kafka;

  beforeAll(() => {
    kafka = new Kafka({
      clientId: 'erasure-test',
      brokers: [...suite.processes.brokers],
      logLevel: logLevel.NOTHING,
    });
  });

  async function signUp() {
    const tag = randomBytes(5).toString('hex');
    const person = { email: `erase-me-${tag}@example.com`, displayName: `Erin Erasable ${tag}` };
    const password = `never-stored-${tag}`;
    const registered = await call('user-account', 'POST', '/auth/register', undefined, {
      ...person,
      password,
    });
    expect(registered.status).toBe(201);
    const login = await call('user-account', 'POST', '/auth/login', undefined, {
      email: person.email,
      password,
    });
    return { ...person, password, userId: registered.body.userId as string, token: login.body.accessToken };
  }

  async function connect(token: string, body: object): Promise<string> {
    const { status, body: answer } = await call(
      'broker-connection',
      'POST',
      '/broker-connections',
      token,
      body,
    );
    expect(status).toBe(202);
    await eventually(async () => {
      const view = await call(
        'broker-connection',
        'GET',
        `/broker-connections/${answer.connectionId}`,
        token,
      );
      return view.body.status === 'CONNECTED' ? true : undefined;
    }, 30_000);
    return answer.connectionId;
  }

  /** Signed up, a paper and an Alpaca connection, a resting order: returns what identifies the person. */
  async function tradingUser() {
    const user = await signUp();
    await connect(user.token, {
      broker: 'virtual',
      mode: 'paper',
      paperAccounts: { count: 1, startingCash: '25000.00' },
    });
    await connect(user.token, {
      broker: 'alpaca',
      mode: 'paper',
      credentials: { apiKeyId: `PK${randomBytes(4).toString('hex')}`, apiSecretKey: 's3cret' },
    });
    const [paper] = (await call('virtual-broker', 'GET', '/accounts', user.token)).body;
    const order = {
      symbol: 'AAPL',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1,
      limitPrice: '1.00',
      timeInForce: 'GTC',
    };
    expect(
      (await call('virtual-broker', 'POST', `/accounts/${paper.accountId}/orders`, user.token, order)).status,
    ).toBe(201);
    const accounts = (await call('broker-account', 'GET', '/broker-accounts', user.token)).body as {
      broker: string;
      accountNumber: string;
      displayName: string;
      balance: { cash: string; buyingPower: string; equity: string };
    }[];
    const alpaca = accounts.find((account) => account.broker === 'alpaca');
    expect(alpaca?.accountNumber).toMatch(/^PA/);
    const { accountNumber, displayName, balance } = alpaca!;
    // What the broker says about the person: the account number (also in its name), the name, the balances.
    const brokerData = [accountNumber, displayName, balance.cash, balance.buyingPower, balance.equity];
    return { ...user, accountNumber, equity: balance.equity, brokerData };
  }

  const equityAtAutomation = async (userId: string) =>
    (
      await sql(
        `SELECT equity::text AS equity FROM automation.broker_accounts WHERE user_id = $1 AND broker = 'alpaca'`,
        [userId],
      )
    )[0]?.equity as string | undefined;

  it('leaves no email, name, password, account number or balance readable in any schema or topic, and others keep theirs', async () => {
    const bystander = await tradingUser();
    const leaving = await tradingUser();
    const person = [leaving.email, leaving.displayName, leaving.password];
    const everything = [...person, ...leaving.brokerData];
    // The scan finds them while the user lives, so an empty scan later means erased, not missed;
    // automation reads the equity broker-account sealed for it.
    expect(await findInSchemas(sql, everything)).toEqual(
      expect.arrayContaining([
        'user_account.users.email',
        'broker_account.broker_accounts.external_account_id',
        'automation.broker_accounts.equity',
      ]),
    );
    await eventually(async () => ((await equityAtAutomation(leaving.userId)) ? true : undefined), 10_000);
    expect(Number(await equityAtAutomation(leaving.userId))).toBe(Number(leaving.equity));
    // Between services they travel sealed for the reader, on every topic, commands and replies too.
    expect(await findInTopics(kafka, leaving.brokerData)).toEqual([]);

    expect((await call('user-account', 'DELETE', '/users/me', leaving.token)).status).toBe(202);
    const deletion = await eventually(async () => {
      const rows = await sql(
        `SELECT id, correlation_id FROM saga_orchestrator.saga_instance
          WHERE aggregate_id = $1 AND saga_type = 'UserDeletion' AND status = 'COMPLETED'`,
        [leaving.userId],
      );
      return rows[0];
    }, 60_000);

    // Keys are shredded and sagas redacted by consumers of the deletion's last events: seconds.
    let leftovers: string[] = [];
    await eventually(async () => {
      leftovers = [...(await findInSchemas(sql, everything)), ...(await findInTopics(kafka, everything))];
      return leftovers.length === 0 ? true : undefined;
    }, 30_000).catch(() => undefined);
    expect(leftovers).toEqual([]);

    const kept = (await call('broker-account', 'GET', '/broker-accounts', bystander.token)).body;
    expect(kept.map((account: { accountNumber: string }) => account.accountNumber)).toContain(
      bystander.accountNumber,
    );
    expect(Number(await equityAtAutomation(bystander.userId))).toBe(Number(bystander.equity));
    const trace = await call(
      'saga-orchestrator',
      'GET',
      `/ops/trace?correlationId=${deletion.correlation_id}`,
      suite.processes.adminToken(),
    );
    expect(trace.status).toBe(200);
  }, 240_000);
});
