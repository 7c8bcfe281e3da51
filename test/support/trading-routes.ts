import { randomUUID } from 'node:crypto';
import type { ChaosClient } from '../chaos/support/chaos-client';

/** Who trades which account: a trader of the one order API, whichever broker holds the account. */
export interface Trader {
  readonly client: ChaosClient;
  readonly token: string;
  readonly accountId: string;
}

/** A request to `/api/trading/accounts/{accountId}…`, the route paper and real accounts share. */
export const trading = ({ client, token, accountId }: Trader, method: string, path: string, body?: object) =>
  client.http(method, `/api/trading/accounts/${accountId}${path}`, token, body);

/** A GTC limit buy of AAPL, the same request for every broker; answers its order id once it is NEW. */
export async function placeRestingBuy(trader: Trader, quantity: number, limitPrice: string): Promise<string> {
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
