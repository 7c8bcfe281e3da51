import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { tradeAlpacaSandbox } from './lib/demo-alpaca';
import { GatewayClient, waitFor } from './lib/gateway-client';

// `npm run demo`: walks a new user through the suite over the gateway — register, connect the
// virtual broker, trade on paper, connect and disconnect a second connection — then says
// where to look in the ops API to see the sagas and the event flow behind each step.
const { values: args, positionals } = parseArgs({
  options: { gateway: { type: 'string' } },
  allowPositionals: true,
});
const gateway = (
  args.gateway ??
  positionals[0] ??
  process.env.GATEWAY_URL ??
  `http://localhost:${process.env.GATEWAY_PORT ?? 3000}`
).replace(/\/$/, '');

async function main(): Promise<void> {
  const client = new GatewayClient(gateway);
  await client.checkReachable();
  const email = `demo-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'Demo-Passw0rd!';
  const registered = await client.call('POST', '/api/auth/register', {
    body: { email, password, displayName: 'Demo Trader' },
  });
  step(`registered ${email}`, registered.correlationId);
  const user = await client.login(email, password);

  const connection = await client.call<{ connectionId: string }>('POST', '/api/broker-connections', {
    token: user,
    body: { broker: 'virtual', mode: 'paper', paperAccounts: { count: 1, startingCash: '100000.00' } },
  });
  const connected = await waitForConnection(client, user, connection.body.connectionId, 'CONNECTED');
  step(`connected the virtual broker: connection ${connection.body.connectionId}`, connection.correlationId);
  const accountId = connected.virtualAccountIds[0];

  const orders = [
    { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 10 },
    { symbol: 'MSFT', side: 'BUY', type: 'MARKET', quantity: 5 },
    { symbol: 'AAPL', side: 'SELL', type: 'MARKET', quantity: 4 },
    { symbol: 'TSLA', side: 'BUY', type: 'LIMIT', quantity: 3, limitPrice: '1.00', timeInForce: 'GTC' },
  ];
  for (const order of orders) {
    const placed = await client.call<{ orderId: string; status: string }>(
      'POST',
      `/api/virtual-broker/accounts/${accountId}/orders`,
      { token: user, body: order },
    );
    step(
      `${order.side} ${order.quantity} ${order.symbol} ${order.type}: order ${placed.body.orderId} ${placed.body.status}`,
      placed.correlationId,
    );
  }
  const positions = await client.call<unknown[]>(
    'GET',
    `/api/virtual-broker/accounts/${accountId}/positions`,
    {
      token: user,
    },
  );
  console.log(`  positions now: ${positions.body.length}`);
  await tradeAlpacaSandbox(client, user, step);

  const second = await client.call<{ connectionId: string }>('POST', '/api/broker-connections', {
    token: user,
    body: { broker: 'virtual', mode: 'paper', paperAccounts: { count: 1, startingCash: '5000.00' } },
  });
  await waitForConnection(client, user, second.body.connectionId, 'CONNECTED');
  step(`connected a second paper connection ${second.body.connectionId}`, second.correlationId);
  const disconnect = await client.call<{ disconnectionId: string }>(
    'POST',
    `/api/broker-connections/${second.body.connectionId}/disconnect`,
    { token: user },
  );
  await waitFor(`connection ${second.body.connectionId} to be purged`, 30_000, async () => {
    const list = await client.call<{ connectionId: string }[]>('GET', '/api/broker-connections', {
      token: user,
    });
    return !list.body.some((c) => c.connectionId === second.body.connectionId);
  });
  step(`disconnected and purged ${second.body.connectionId}`, disconnect.correlationId);

  const sagas = await client.call<{ sagas: SagaSummary[] }>('GET', '/api/sagas', { token: user });
  console.log('\nSagas run for this user:');
  for (const saga of sagas.body.sagas)
    console.log(
      `  ${saga.type.padEnd(20)} ${saga.status.padEnd(10)} saga ${saga.id}  correlation ${saga.correlationId}`,
    );

  const first = sagas.body.sagas.find((saga) => saga.aggregateId === connection.body.connectionId);
  const last = sagas.body.sagas.find((saga) => saga.type === 'BrokerDisconnection');
  console.log(`
What to look at (admin token: POST ${gateway}/api/auth/login as the seeded admin, e.g. admin@tradecore.local):
  dashboard        ${gateway}/ops
  sagas            ${gateway}/ops/sagas?aggregateId=${connection.body.connectionId}
  a saga's steps   ${gateway}/ops/sagas/${first?.id ?? '<saga id>'}${last ? `\n                   ${gateway}/ops/sagas/${last.id}` : ''}
  event flow       ${gateway}/ops/trace?correlationId=${connection.correlationId}
                   ${gateway}/ops/trace?correlationId=${disconnect.correlationId}
                   ${gateway}/ops/trace?aggregateId=${second.body.connectionId}
  your orders      ${gateway}/api/virtual-broker/accounts/${accountId}/orders (as ${email} / ${password})

  TOKEN=$(curl -s ${gateway}/api/auth/login -H 'content-type: application/json' \\
    -d '{"email":"admin@tradecore.local","password":"Admin-Passw0rd!"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')
  curl -s -H "authorization: Bearer $TOKEN" '${gateway}/ops/trace?correlationId=${connection.correlationId}'
`);
}

interface SagaSummary {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly aggregateId: string;
  readonly correlationId: string;
}

interface ConnectionView {
  readonly connectionId: string;
  readonly status: string;
  readonly failureReason?: unknown;
  readonly virtualAccountIds: string[];
}

async function waitForConnection(
  client: GatewayClient,
  token: string,
  connectionId: string,
  status: string,
): Promise<ConnectionView> {
  let view: ConnectionView | undefined;
  await waitFor(`connection ${connectionId} to be ${status}`, 30_000, async () => {
    view = (await client.call<ConnectionView>('GET', `/api/broker-connections/${connectionId}`, { token }))
      .body;
    if (view.status === 'FAILED')
      throw new Error(`connection ${connectionId} failed: ${JSON.stringify(view.failureReason)}`);
    return view.status === status;
  });
  return view!;
}

function step(what: string, correlationId: string | undefined): void {
  console.log(`✓ ${what}${correlationId ? `  (correlation ${correlationId})` : ''}`);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${(error as Error).message}`);
  process.exit(1);
});
