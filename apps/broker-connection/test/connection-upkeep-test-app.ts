import { randomBytes } from 'node:crypto';
import { brokerAccountIdOf } from '@tradecore/contracts';
import { eventually } from '@tradecore/eventing/testing';
import {
  startTradeStationSandbox,
  type TradeStationSandbox,
} from '../../../libs/broker-sandboxes/src/tradestation';
import { startBrokerConnectionTestApp } from './broker-connection-test-app';

export const CLIENT_ID = 'tradecore-e2e';
const GATEWAY_CALLBACK = 'http://127.0.0.1:3000/api/broker-connections/oauth/tradestation/callback';

/**
 * The service against the TradeStation sandbox over HTTP, with tokens that live seconds and an
 * upkeep that ticks every quarter second, so expiry, refresh and monitoring happen within a test.
 */
export async function startConnectionUpkeepTestApp(options: { listenOnPort?: number } = {}) {
  const port = options.listenOnPort;
  const REDIRECT_URI = port
    ? `http://127.0.0.1:${port}/broker-connections/oauth/tradestation/callback`
    : GATEWAY_CALLBACK;
  const clientSecret = randomBytes(16).toString('hex');
  const sandbox: TradeStationSandbox = await startTradeStationSandbox({
    clients: [{ clientId: CLIENT_ID, clientSecret, redirectUris: [REDIRECT_URI] }],
    accessTokenTtlSeconds: 4,
    rotateRefreshTokens: true,
  });
  Object.assign(process.env, {
    TRADESTATION_AUTHORIZE_URL: sandbox.authorizeUrl,
    TRADESTATION_TOKEN_URL: sandbox.tokenUrl,
    TRADESTATION_SIM_BASE_URL: sandbox.url,
    TRADESTATION_LIVE_BASE_URL: sandbox.url,
    TRADESTATION_CLIENT_ID: CLIENT_ID,
    TRADESTATION_CLIENT_SECRET: clientSecret,
    TRADESTATION_OAUTH_REDIRECT_URI: REDIRECT_URI,
    UPKEEP_TICK_MS: '250',
    ACCESS_TOKEN_REFRESH_LEAD_MS: '2000',
    HEALTH_CHECK_INTERVAL_MS: '600',
    HEALTH_DEGRADED_AFTER: '2',
    HEALTH_OFFLINE_AFTER: '4',
    BROKER_CIRCUIT_HALF_OPEN_MS: '500',
  });
  const t = await startBrokerConnectionTestApp();
  // For a real browser, which must be able to follow the broker's redirect to the callback.
  if (port) await t.app.listen(port, '127.0.0.1');

  /** The browser's part: open the authorization URL, allow on the consent page, follow the redirect. */
  const consent = async (authorizationUrl: string, decision: 'allow' | 'deny' = 'allow') => {
    const page = await fetch(authorizationUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('SANDBOX');
    const form = new URLSearchParams(new URL(authorizationUrl).searchParams);
    form.set('decision', decision);
    const redirect = await fetch(`${sandbox.url}/authorize/decision`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    return new URL(redirect.headers.get('location') as string);
  };

  const start = (userId: string, body: object = { mode: 'paper' }) =>
    t
      .http()
      .post('/broker-connections/oauth/tradestation/start')
      .set('Authorization', t.tokenOf(userId))
      .send(body);

  const callback = (back: URL) =>
    t.http().get(`/broker-connections/oauth/tradestation/callback${back.search}`);

  /** The whole sign-in, then the saga's steps as the orchestrator would send them (`sealFor`: broker-account's key). */
  const connectViaOAuth = async (userId: string, sealFor?: string): Promise<string> => {
    const started = await start(userId);
    expect(started.status).toBe(200);
    const completed = await callback(await consent(started.body.authorizationUrl));
    expect(completed.status).toBe(200);
    const { connectionId } = completed.body as { connectionId: string };
    expect(await t.ask('VerifyBrokerCredentials', connectionId, sealFor ? { sealFor } : {})).toMatchObject({
      outcome: 'succeeded',
    });
    await t.ask('MarkConnectionConnected', connectionId, {
      linkedAccountIds: [brokerAccountIdOf(connectionId, 'SIM1000001M')],
      virtualAccountIds: [],
    });
    expect(await t.statusOf(connectionId, userId)).toBe('CONNECTED');
    return connectionId;
  };

  const view = async (connectionId: string, userId: string) =>
    (await t.http().get(`/broker-connections/${connectionId}`).set('Authorization', t.tokenOf(userId))).body;

  const statusBecomes = (connectionId: string, userId: string, status: string, timeoutMs = 20_000) =>
    eventually(
      async () => ((await t.statusOf(connectionId, userId)) === status ? true : undefined),
      timeoutMs,
    );

  return {
    ...t,
    sandbox,
    consent,
    start,
    callback,
    connectViaOAuth,
    view,
    statusBecomes,
    stop: async () => {
      await t.stop();
      await sandbox.stop();
    },
  };
}
