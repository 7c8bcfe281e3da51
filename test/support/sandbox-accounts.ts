import { randomBytes } from 'node:crypto';
import {
  type AlpacaSandbox,
  SANDBOX_SECRET,
  type TradeStationSandbox,
  tradeStationDevClient,
} from '@tradecore/broker-sandboxes';
import type { ChaosClient } from '../chaos/support/chaos-client';
import { APPS } from '../chaos/support/chaos-stack';

/** The app the local TradeStation sandbox knows, redirecting to the stack's gateway. */
export const gatewayTradeStationClient = () =>
  tradeStationDevClient(`http://127.0.0.1:${APPS['api-gateway']}`);
type SandboxClient = ReturnType<typeof gatewayTradeStationClient>;

/** The stack's settings that send broker-connection to the local sandboxes instead of the brokers. */
export const sandboxBrokerUrls = (sandboxes: {
  alpaca?: AlpacaSandbox;
  tradeStation?: { sandbox: TradeStationSandbox; client: SandboxClient };
}): Record<string, string> => {
  const { alpaca, tradeStation } = sandboxes;
  return {
    ...(alpaca && { ALPACA_PAPER_BASE_URL: alpaca.url, ALPACA_LIVE_BASE_URL: alpaca.url }),
    ...(tradeStation && {
      TRADESTATION_AUTHORIZE_URL: tradeStation.sandbox.authorizeUrl,
      TRADESTATION_TOKEN_URL: tradeStation.sandbox.tokenUrl,
      TRADESTATION_SIM_BASE_URL: tradeStation.sandbox.url,
      TRADESTATION_LIVE_BASE_URL: tradeStation.sandbox.url,
      TRADESTATION_CLIENT_ID: tradeStation.client.clientId,
      TRADESTATION_CLIENT_SECRET: tradeStation.client.clientSecret,
      TRADESTATION_OAUTH_REDIRECT_URI: tradeStation.client.redirectUris[0],
    }),
  };
};

/** A key id the Alpaca sandbox takes for a new paper account of its own. */
export const newAlpacaKeyId = () => `PKTEST${randomBytes(5).toString('hex').toUpperCase()}`;

/** Connects an Alpaca paper account with sandbox keys and answers the connection once CONNECTED. */
export async function connectAlpaca(client: ChaosClient, token: string, apiKeyId = newAlpacaKeyId()) {
  const requested = await client.http('POST', '/api/broker-connections', token, {
    broker: 'alpaca',
    mode: 'paper',
    credentials: { apiKeyId, apiSecretKey: SANDBOX_SECRET },
  });
  expect(requested.status).toBe(202);
  const { connectionId } = requested.body as { connectionId: string };
  await client.connected(token, connectionId);
  return connectionId;
}

/**
 * The user's TradeStation sign-in: start, open and allow on the sandbox's consent page, follow the
 * redirect to the gateway; answers the connection once CONNECTED.
 */
export async function connectTradeStation(client: ChaosClient, token: string, sandbox: TradeStationSandbox) {
  const started = await client.http('POST', '/api/broker-connections/oauth/tradestation/start', token, {
    mode: 'paper',
  });
  expect(started.status).toBe(200);
  expect((await fetch(started.body.authorizationUrl)).status).toBe(200);
  const form = new URL(started.body.authorizationUrl).searchParams;
  form.set('decision', 'allow');
  const consent = await fetch(`${sandbox.url}/authorize/decision`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const back = new URL(consent.headers.get('location') as string);
  const completed = await client.http('GET', `${back.pathname}${back.search}`);
  expect(completed.status).toBe(200);
  const { connectionId } = completed.body as { connectionId: string };
  await client.connected(token, connectionId);
  return connectionId;
}

/** The broker-account id of the (first) account a connection linked. */
export async function accountOf(client: ChaosClient, token: string, connectionId: string): Promise<string> {
  const accounts = (await client.http('GET', '/api/broker-accounts', token)).body as {
    connectionId: string;
    accountId: string;
  }[];
  return accounts.find((account) => account.connectionId === connectionId)!.accountId;
}

/** What broker-connection says of a connection's order stream. */
export interface StreamStatus {
  readonly replica: string;
  readonly streamedBy: string | null;
  readonly open: boolean;
  readonly listening: boolean;
  readonly reconnections: number;
  readonly lastReconciledFills: number;
}

export const streamOf = async (client: ChaosClient, token: string, connectionId: string) =>
  (await client.http('GET', `/api/broker-connections/${connectionId}/stream`, token)).body as StreamStatus;
