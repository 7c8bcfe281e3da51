import type { DataSource } from 'typeorm';
import {
  checkProjectionDrift,
  type EventStore,
  rebuildProjection,
  type StoreProjection,
} from '@tradecore/eventing';
import { createServiceTestSchema, type ServiceTestSchema } from '@tradecore/eventing/testing';
import { CreateAccountTables1763780000000 } from '../infrastructure/broker-account.migrations';
import { CreatePaperLedgers1765090000000 } from '../infrastructure/paper-ledger.migrations';
import { projectBrokerAccounts } from './broker-account.projection';
import { BROKER_ACCOUNT_ENTITIES, BROKER_ACCOUNT_PROJECTIONS } from './broker-account.projections';

const linked = (connectionId: string, accountIds: string[]) => ({
  type: 'BrokerAccountsLinked',
  payload: {
    connectionId,
    userId: 'user-1',
    broker: 'alpaca',
    mode: 'paper',
    linkedAt: '2026-12-01T10:00:00.000Z',
    accounts: accountIds.map((accountId, index) => ({
      accountId,
      externalAccountId: `EXT-${index}`,
      displayName: `Account ${index}`,
      currency: 'USD',
    })),
  },
});

const balance = (accountId: string, equity: string, asOf: string) => ({
  type: 'BrokerAccountBalanceUpdated',
  payload: { accountId, cash: '100', buyingPower: '200', equity, asOf },
});

describe('broker-account read models, rebuilt through their registration', () => {
  let database: ServiceTestSchema;
  let dataSource: DataSource;
  let store: EventStore;
  const [registration] = BROKER_ACCOUNT_PROJECTIONS as StoreProjection[];
  const account = (n: number) => `0193a0f4-7b1c-7000-8000-0000000000a${n}`;
  const connection = (n: number) => `0193a0f4-7b1c-7000-8000-0000000000c${n}`;

  const rows = async () =>
    Promise.all(
      ['broker_accounts', 'equity_history'].map(async (table) =>
        (await dataSource.query(`SELECT * FROM "${database.schema}".${table}`)).map(JSON.stringify).sort(),
      ),
    );

  beforeAll(async () => {
    database = await createServiceTestSchema('ba_projections', {
      entities: BROKER_ACCOUNT_ENTITIES,
      migrations: [CreateAccountTables1763780000000, CreatePaperLedgers1765090000000],
    });
    ({ dataSource, store } = database);
    const append = (streamId: string, version: number, events: { type: string; payload: object }[]) =>
      store.append(streamId, 'BrokerAccounts', version, events, {
        inlineProjectors: [projectBrokerAccounts],
      });
    await append(connection(1), 0, [linked(connection(1), [account(1), account(2)])]);
    await append(connection(1), 1, [
      balance(account(1), '1500', '2026-12-01T11:00:00.000Z'),
      balance(account(1), '1600', '2026-12-01T12:00:00.000Z'),
      balance(account(2), '90', '2026-12-01T12:00:00.000Z'),
    ]);
    await append(connection(2), 0, [linked(connection(2), [account(3)])]);
    await append(connection(2), 1, [balance(account(3), '7', '2026-12-01T12:00:00.000Z')]);
    await append(connection(2), 2, [
      { type: 'BrokerAccountsUnlinked', payload: { accountIds: [account(3)] } },
    ]);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('gives the accounts and their equity history back as the live path wrote them', async () => {
    const live = await rows();
    expect(live.map((table) => table.length)).toEqual([2, 3]);
    expect(await checkProjectionDrift(store, registration)).toMatchObject({
      drifted: false,
      sampledStreams: 2,
    });
    expect(await rebuildProjection({ store, projection: registration })).toMatchObject({ events: 7 });
    expect(await rows()).toEqual(live);
  });

  it('finds an equity point changed by hand through the account that owns it', async () => {
    await dataSource.query(
      `UPDATE "${database.schema}".equity_history SET equity = 1 WHERE account_id = $1`,
      [account(2)],
    );
    expect(await checkProjectionDrift(store, registration)).toMatchObject({
      drifted: true,
      rowsDiffering: 2,
      differingStreams: [connection(1)],
    });
  });
});
