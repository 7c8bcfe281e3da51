import { closedOrderStatuses } from '../domain/closed-orders';
import type { DataSource } from 'typeorm';
import {
  checkProjectionDrift,
  commandPath,
  type EventStore,
  rebuildProjection,
  type StoreProjection,
} from '@tradecore/eventing';
import { createServiceTestSchema, type ServiceTestSchema } from '@tradecore/eventing/testing';
import { paperAccountDecider, type PaperAccountState, rejectionOf } from '../domain/paper-account.decider';
import type { PaperAccountCommand, Quote } from '../domain/paper-account.messages';
import { paperAccountProjection } from './paper-account.projection';
import { READ_MODEL_MIGRATIONS } from './read-models.migration';
import { VIRTUAL_BROKER_PROJECTIONS } from './virtual-broker.projections';

const OWNER = 'owner-1';
const ACCOUNT = 'account-1';

function quote(symbol: string, bidCents: number, askCents: number, second: number, size = 1_000): Quote {
  return {
    symbol,
    bidCents,
    askCents,
    bidSize: size,
    askSize: size,
    quotedAt: new Date(Date.UTC(2026, 0, 5, 14, 30, second)).toISOString(),
  };
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 5, 14, 30, second)).toISOString();

function order(
  orderId: string,
  side: 'BUY' | 'SELL',
  quantity: number,
  q: Quote,
  limitPriceCents: number | null = null,
): PaperAccountCommand {
  return {
    type: 'PlaceOrder',
    requestedBy: OWNER,
    orderId,
    symbol: q.symbol,
    side,
    orderType: limitPriceCents === null ? 'MARKET' : 'LIMIT',
    quantity,
    limitPriceCents,
    timeInForce: 'DAY',
    quote: q,
    placedAt: q.quotedAt,
  };
}

function replace(
  orderId: string,
  changes: { quantity?: number; limitPriceCents?: number },
  q: Quote,
): PaperAccountCommand {
  return {
    type: 'ReplaceOrder',
    requestedBy: OWNER,
    orderId,
    ...changes,
    quotes: [q],
    replacedAt: q.quotedAt,
  };
}

/** Every command a trader, the ticker and the session close send, in one plausible trading day. */
const day: PaperAccountCommand[] = [
  {
    type: 'ProvisionPaperAccount',
    accountId: ACCOUNT,
    userId: OWNER,
    connectionId: 'connection-1',
    currency: 'USD',
    startingCashCents: 10_000_000,
    provisionedAt: at(0),
  },
  order('buy-1', 'BUY', 300, quote('AAPL', 18_999, 19_001, 1, 120)),
  { type: 'FillOrdersAgainstQuote', quote: quote('AAPL', 19_010, 19_013, 2, 100) },
  { type: 'FillOrdersAgainstQuote', quote: quote('AAPL', 19_020, 19_022, 3) },
  order('buy-2', 'BUY', 7, quote('MSFT', 42_000, 42_005, 4), 41_900),
  order('sell-1', 'SELL', 101, quote('AAPL', 19_100, 19_103, 5)),
  order('sell-2', 'SELL', 50, quote('AAPL', 19_100, 19_103, 6), 19_500),
  { type: 'FillOrdersAgainstQuote', quote: quote('MSFT', 41_890, 41_899, 7) },
  order('buy-3', 'BUY', 1_000, quote('MSFT', 41_890, 41_899, 8), 41_000),
  replace('sell-2', { quantity: 40 }, quote('AAPL', 19_100, 19_103, 8)),
  { type: 'CancelOrder', requestedBy: OWNER, orderId: 'sell-2', cancelledAt: at(9) },
  order('buy-4', 'BUY', 10, quote('AAPL', 19_000, 19_002, 10), 18_000),
  replace('buy-4', { quantity: 12, limitPriceCents: 18_100 }, quote('AAPL', 19_000, 19_002, 10)),
  { type: 'ExpireDayOrders', sessionEndedAt: at(11) },
];

describe('paper account projection', () => {
  let database: ServiceTestSchema;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    database = await createServiceTestSchema('vb_projection', {
      migrations: READ_MODEL_MIGRATIONS,
      migrationsTableName: 'read_model_migrations',
    });
    ({ dataSource, store } = database);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('agrees with the aggregate on cash, reservations, positions, P&L and every order after a trading day', async () => {
    const accounts = commandPath(store, {
      decider: paperAccountDecider,
      streamType: 'PaperAccount',
      projectors: [paperAccountProjection(database.schema)],
    });
    const execute = async (command: PaperAccountCommand) => (await accounts.execute(ACCOUNT, command)).state;
    let state: PaperAccountState = paperAccountDecider.initialState;
    for (const command of day) {
      try {
        state = await execute(command);
      } catch (error) {
        const rejection = command.type === 'PlaceOrder' ? rejectionOf(command, error) : null;
        if (!rejection) throw error;
        state = await execute(rejection);
      }
    }
    const s = `"${database.schema}"`;

    const [account] = await dataSource.query(
      `SELECT cash_cents::int AS cash, reserved_cash_cents::int AS reserved, realized_pnl_cents::int AS realized
       FROM ${s}.paper_accounts`,
    );
    const realized = Object.values(state.positions).reduce((sum, p) => sum + p.realizedPnlCents, 0);
    expect(account).toEqual({ cash: state.cashCents, reserved: state.reservedCashCents, realized });

    const positions = await dataSource.query(
      `SELECT symbol, quantity, cost_basis_cents::int AS "costBasisCents", realized_pnl_cents::int AS "realizedPnlCents"
       FROM ${s}.positions ORDER BY symbol`,
    );
    expect(positions).toEqual(
      Object.values(state.positions).sort((a, b) => a.symbol.localeCompare(b.symbol)),
    );

    const orders: { order_id: string; status: string; filled_quantity: number }[] = await dataSource.query(
      `SELECT order_id, status, filled_quantity FROM ${s}.orders ORDER BY order_id`,
    );
    const expected = {
      ...closedOrderStatuses(state.closedOrders),
      ...Object.fromEntries(state.openOrders.map((open) => [open.orderId, open.status])),
    };
    expect(Object.fromEntries(orders.map((row) => [row.order_id, row.status]))).toEqual(expected);
    expect(expected).toMatchObject({
      'buy-1': 'FILLED',
      'sell-2': 'CANCELLED',
      'buy-3': 'REJECTED',
      'buy-4': 'EXPIRED',
    });
    const [replaced] = await dataSource.query(
      `SELECT quantity, limit_price_cents::int AS "limitCents" FROM ${s}.orders WHERE order_id = 'buy-4'`,
    );
    expect(replaced).toEqual({ quantity: 12, limitCents: 18_100 });

    const history = await dataSource.query(
      `SELECT order_id, status, fill_quantity AS fill, filled_quantity AS filled, remaining_quantity AS remaining, reason
       FROM ${s}.order_events WHERE order_id IN ('buy-1', 'buy-3', 'sell-2') ORDER BY version`,
    );
    const entry = (
      order_id: string,
      status: string,
      fill: number | null,
      filled: number,
      remaining: number,
    ) => ({
      order_id,
      status,
      fill,
      filled,
      remaining,
      reason: null,
    });
    expect(history).toEqual([
      entry('buy-1', 'NEW', null, 0, 300),
      entry('buy-1', 'PARTIALLY_FILLED', 120, 120, 180),
      entry('buy-1', 'PARTIALLY_FILLED', 100, 220, 80),
      entry('buy-1', 'FILLED', 80, 300, 0),
      entry('sell-2', 'NEW', null, 0, 50),
      { ...entry('buy-3', 'REJECTED', null, 0, 1_000), reason: 'INSUFFICIENT_BUYING_POWER' },
      entry('sell-2', 'NEW', null, 0, 40),
      { ...entry('sell-2', 'CANCELLED', null, 0, 40), reason: 'REQUESTED_BY_USER' },
    ]);
  });

  it('is rebuilt from the store as the live path built it, table by table, and shows no drift', async () => {
    const [registration] = VIRTUAL_BROKER_PROJECTIONS as StoreProjection[];
    const tables = registration.tables.map((table) => table.name);
    const rows = async () =>
      Promise.all(
        tables.map(async (table) =>
          (await dataSource.query(`SELECT * FROM "${database.schema}".${table}`)).map(JSON.stringify).sort(),
        ),
      );
    const live = await rows();
    expect(live.every((table: string[]) => table.length > 0)).toBe(true);
    expect(await checkProjectionDrift(store, registration)).toMatchObject({
      drifted: false,
      sampledStreams: 1,
    });
    const result = await rebuildProjection({ store, projection: registration });
    expect(result.events).toBeGreaterThan(day.length);
    expect(await rows()).toEqual(live);
  });
});
