import { createHash } from 'node:crypto';
import { startTradeStationSandbox, type TradeStationSandbox } from './index';

const client = { clientId: 'app', clientSecret: 'app-secret', redirectUris: ['http://localhost/callback'] };
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = createHash('sha256').update(verifier).digest('base64url');

interface Answer {
  readonly error?: string;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly Accounts?: readonly object[];
}
const body = async (response: Response): Promise<Answer> => (await response.json()) as Answer;

describe('TradeStation sandbox', () => {
  let sandbox: TradeStationSandbox;
  beforeAll(async () => {
    sandbox = await startTradeStationSandbox({ clients: [client], rotateRefreshTokens: true });
  });
  afterAll(() => sandbox.stop());

  const post = (path: string, form: Record<string, string>) =>
    fetch(`${sandbox.url}${path}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });

  const codeFor = async (codeChallenge = challenge) => {
    const allowed = await post('/authorize/decision', {
      client_id: client.clientId,
      redirect_uri: client.redirectUris[0],
      scope: 'openid offline_access ReadAccount',
      state: 's-1',
      code_challenge: codeChallenge,
      decision: 'allow',
    });
    expect(allowed.headers.get('x-broker-sandbox')).toBe('tradestation');
    const location = new URL(allowed.headers.get('location') as string);
    expect(location.searchParams.get('state')).toBe('s-1');
    return location.searchParams.get('code') as string;
  };

  const exchange = (code: string, codeVerifier: string) =>
    post('/oauth/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code,
      redirect_uri: client.redirectUris[0],
      code_verifier: codeVerifier,
    });

  it('refuses an authorization request for a redirect URI the key does not list', async () => {
    const url = new URL(sandbox.authorizeUrl);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: 'app',
      audience: 'https://api.tradestation.com',
    }))
      url.searchParams.set(name, value);
    url.searchParams.set('redirect_uri', 'http://evil.example/cb');
    const refused = await fetch(url);
    expect([refused.status, (await body(refused)).error]).toEqual([400, 'invalid_request']);
  });

  it('exchanges a code once, and only with the verifier of its challenge', async () => {
    const wrong = await exchange(await codeFor(), 'not-the-verifier-not-the-verifier-not-the-v');
    expect([wrong.status, (await body(wrong)).error]).toEqual([403, 'invalid_grant']);
    const code = await codeFor();
    const granted = await exchange(code, verifier);
    expect(granted.status).toBe(200);
    expect(await body(granted)).toMatchObject({
      expires_in: 1200,
      token_type: 'Bearer',
      refresh_token: expect.any(String),
    });
    expect((await exchange(code, verifier)).status).toBe(403);
  });

  it('rotates refresh tokens, serves accounts to a valid access token, and revokes every refresh token of the key', async () => {
    const first = await body(await exchange(await codeFor(), verifier));
    const refresh = (token: string) =>
      post('/oauth/token', {
        grant_type: 'refresh_token',
        client_id: 'app',
        client_secret: 'app-secret',
        refresh_token: token,
      });
    const rotated = await body(await refresh(first.refresh_token));
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect((await refresh(first.refresh_token)).status).toBe(403);
    const accounts = await fetch(`${sandbox.url}/v3/brokerage/accounts`, {
      headers: { Authorization: `Bearer ${rotated.access_token}` },
    });
    expect((await body(accounts)).Accounts).toEqual([expect.objectContaining({ AccountID: 'SIM1000001M' })]);
    sandbox.revokeRefreshTokens('app');
    expect((await refresh(rotated.refresh_token)).status).toBe(403);
    sandbox.setOutage(true);
    expect((await fetch(`${sandbox.url}/v3/brokerage/accounts`)).status).toBe(503);
    sandbox.setOutage(false);
  });
});
