import { randomUUID } from 'node:crypto';
import { eventually } from '@tradecore/eventing/testing';
import type { ChaosClient } from '../chaos/support/chaos-client';

/** Who trades which account: a trader of the one order API, whichever broker holds the account. */
export interface Trader {
  readonly client: ChaosClient;
  readonly token: string;
  readonly accountId: string;
}

/** A request to `/api/trading/accounts/{accountId}…`, the route paper and real accounts share. */
const trading = ({ client, token, accountId }: Trader, method: string, path: string, body?: object) =>
  client.http(method, `/api/trading/accounts/${accountId}${path}`, token, body);

/** A GTC limit buy of AAPL, the same request for every broker; answers its order id once it is NEW. */
async function placeRestingBuy(trader: Trader, quantity: number, limitPrice: string): Promise<string> {
  const orderId = randomUUID();
  const body = {
    orderId,
    symbol: 'AAPL',
    side: 'BUY',
    type: 'LIMIT',
    quantity,
    limitPrice,
    timeInForce: 'GTC',
  };
  const placed = await trading(trader, 'POST', '/orders', body);
  expect([placed.status, placed.body.status]).toEqual([201, 'NEW']);
  return orderId;
}

/** Polls every 20 ms (tighter than the default) until the probe answers, to time what a trader sees. */
export const quickly = <T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> =>
  eventually(probe, timeoutMs, 20);

const orderOf = (trader: Trader, orderId: string) => trading(trader, 'GET', `/orders/${orderId}`);

/** The order once it reads `wanted`. */
const orderReaching = (trader: Trader, orderId: string, wanted: string) =>
  quickly(async () => {
    const { body } = await orderOf(trader, orderId);
    return body.status === wanted ? body : undefined;
  });

/** How many times a fill was recorded in an order's history. */
export const fillsOf = (order: { history: { type: string }[] }) =>
  order.history.filter((entry) => entry.type === 'BrokerOrderFilled').length;

/** The quantity of a symbol that broker-account's read model holds for the account. */
const positionAtBrokerAccount = async ({ client, token, accountId }: Trader, symbol = 'AAPL') => {
  const { body } = await client.http('GET', `/api/broker-accounts/${accountId}/positions`, token);
  return (body as { symbol: string; quantity: number }[]).find((position) => position.symbol === symbol)
    ?.quantity;
};

/** The order API bound to one trader, read at call time (the specs set it in `beforeAll`). */
export const tradingAs = (trader: () => Trader) => ({
  trading: (method: string, path: string, body?: object) => trading(trader(), method, path, body),
  restingBuy: (quantity: number, limitPrice: string) => placeRestingBuy(trader(), quantity, limitPrice),
  order: (orderId: string) => orderOf(trader(), orderId),
  status: (orderId: string, wanted: string) => orderReaching(trader(), orderId, wanted),
  position: () => positionAtBrokerAccount(trader()),
});
