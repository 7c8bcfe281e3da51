import { randomBytes, randomUUID } from 'node:crypto';
import { type GatewayClient, waitFor } from './gateway-client';

interface AlpacaConnection {
  readonly status: string;
  readonly linkedAccountIds: string[];
}

/**
 * The demo's Alpaca part: connects the local Alpaca sandbox with its test keys and trades it
 * through the same order routes as the paper account. Skipped when the suite talks to a real
 * Alpaca, which refuses the test keys.
 */
export async function tradeAlpacaSandbox(
  client: GatewayClient,
  token: string,
  step: (what: string, correlationId: string | undefined) => void,
): Promise<void> {
  const requested = await client.call<{ connectionId: string }>('POST', '/api/broker-connections', {
    token,
    body: {
      broker: 'alpaca',
      mode: 'paper',
      credentials: {
        apiKeyId: `PKTEST${randomBytes(4).toString('hex').toUpperCase()}`,
        apiSecretKey: 'sandbox-secret',
      },
    },
  });
  const { connectionId } = requested.body;
  let view: AlpacaConnection | undefined;
  await waitFor(`Alpaca connection ${connectionId}`, 30_000, async () => {
    view = (await client.call<AlpacaConnection>('GET', `/api/broker-connections/${connectionId}`, { token }))
      .body;
    return view.status === 'CONNECTED' || view.status === 'FAILED';
  });
  if (view!.status === 'FAILED') {
    console.log(
      '  (Alpaca part skipped: the suite is not on the Alpaca sandbox, which alone takes the test keys)',
    );
    return;
  }
  step(`connected an Alpaca sandbox account: connection ${connectionId}`, requested.correlationId);
  const accountId = view!.linkedAccountIds[0];
  const orderId = randomUUID();
  const placed = await client.call<{ status: string }>('POST', `/api/trading/accounts/${accountId}/orders`, {
    token,
    body: { orderId, symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 10 },
  });
  await waitFor(`order ${orderId} to fill`, 15_000, async () => {
    const order = await client.call<{ status: string }>(
      'GET',
      `/api/trading/accounts/${accountId}/orders/${orderId}`,
      {
        token,
      },
    );
    return order.body.status === 'FILLED';
  });
  step(
    `BUY 10 AAPL MARKET on Alpaca: order ${orderId} ${placed.body.status}, then FILLED through its stream`,
    placed.correlationId,
  );
  const balance = await client.call<{ cash: string }>('GET', `/api/trading/accounts/${accountId}`, { token });
  console.log(`  Alpaca sandbox cash now: ${balance.body.cash}`);
}
