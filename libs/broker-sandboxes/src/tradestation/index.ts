import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brokerageAnswer, DEFAULT_ACCOUNTS, type SandboxAccount } from './tradestation-brokerage';
import {
  type AuthorizationSettings,
  OAuthError,
  SandboxAuthorization,
  type SandboxClient,
} from './tradestation-authorization';
import { consentPage } from './tradestation-consent-page';
import { TradeStationTrading } from './tradestation-trading';

export type { SandboxAccount } from './tradestation-brokerage';
/** The accounts the sandbox lists unless told otherwise. */
export const TRADESTATION_SANDBOX_ACCOUNTS = DEFAULT_ACCOUNTS;
export type { SandboxClient } from './tradestation-authorization';

/** The API key a local TradeCore signs in with when no other is given (gateway on port 3000). */
export const TRADESTATION_SANDBOX_DEV_CLIENT: SandboxClient = {
  clientId: 'tradecore-dev',
  clientSecret: 'tradecore-dev-sandbox-secret',
  redirectUris: ['http://localhost:3000/api/broker-connections/oauth/tradestation/callback'],
};

/** The dev API key with its callback on a gateway at `gatewayUrl`, for a suite not on port 3000. */
export function tradeStationDevClient(gatewayUrl: string): SandboxClient {
  return {
    ...TRADESTATION_SANDBOX_DEV_CLIENT,
    redirectUris: [`${gatewayUrl}/api/broker-connections/oauth/tradestation/callback`],
  };
}

/** What the launcher prints, so nobody takes the sandbox for TradeStation. */
export function tradeStationSandboxBanner(url: string): string {
  return `${url} — TRADESTATION SANDBOX (local, not TradeStation): sign in through its consent page, then trade SIM1000001M`;
}

export interface TradeStationSandboxOptions extends Partial<AuthorizationSettings> {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly clients?: readonly SandboxClient[];
  readonly accounts?: readonly SandboxAccount[];
  /** How often resting orders are matched again (500 ms unless given). */
  readonly tickMs?: number;
  /** How often open order streams carry a `Heartbeat` (5 s unless given). */
  readonly heartbeatMs?: number;
  /** Order, position and order-execution requests per API key per minute before 429 (250 unless given). */
  readonly rateLimitPerMinute?: number;
}

export interface TradeStationSandbox {
  /** Serves both the sign-in host and the API: `${url}/authorize`, `${url}/oauth/token`, `${url}/v3/...`. */
  readonly url: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  /** Token grants answered so far, by grant type. */
  readonly grants: Readonly<Record<'authorization_code' | 'refresh_token', number>>;
  /** While on, every endpoint answers 503, as during a TradeStation outage. */
  setOutage(down: boolean): void;
  /** What a revocation request does: every refresh token of the key stops working. */
  revokeRefreshTokens(clientId: string): void;
  expireAccessTokens(): void;
  /** The user opens another account at the broker: listed from now on. */
  openAccount(account: SandboxAccount): void;
  /** The user closes an account at the broker: no longer listed. */
  closeAccount(accountId: string): void;
  /** Moves the simulated quote of a symbol (in cents); resting orders it crosses fill. */
  setPrice(symbol: string, cents: number): void;
  /** Cuts every open order stream and refuses new ones for `refuseForMs`; answers how many it cut. */
  dropStreams(refuseForMs: number): number;
  /** Ends every open order stream with `{"StreamStatus":"GoAway"}`. */
  goAwayStreams(): number;
  /** Order streams open now. */
  readonly openStreams: number;
  stop(): Promise<void>;
}

// Every answer says where it comes from, so a sandbox response can never pass for TradeStation's.
const SANDBOX_HEADERS = { 'X-Broker-Sandbox': 'tradestation' };

/**
 * A local TradeStation: the Auth0 sign-in (authorize with a consent page, token endpoint with
 * the authorization_code grant, PKCE S256 and the refresh_token grant, optional refresh-token
 * rotation, revocation), the Brokerage v3 accounts, balances, orders, positions and order stream,
 * and Order Execution v3 (place, confirm, replace, cancel), as documented at
 * https://api.tradestation.com/docs/fundamentals/authentication/auth-overview/ and
 * https://api.tradestation.com/docs/specification.
 */
export async function startTradeStationSandbox(
  options: TradeStationSandboxOptions = {},
): Promise<TradeStationSandbox> {
  const authorization = new SandboxAuthorization(options.clients ?? [TRADESTATION_SANDBOX_DEV_CLIENT], {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 1200,
    rotateRefreshTokens: options.rotateRefreshTokens ?? false,
  });
  let accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  let down = false;
  const trading = new TradeStationTrading(() => accounts, {
    tickMs: options.tickMs ?? 500,
    heartbeatMs: options.heartbeatMs ?? 5000,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 250,
  });
  const server = createServer((req, res) => {
    res.setHeader('X-Broker-Sandbox', 'tradestation');
    if (down) return json(res, 503, { Error: 'ServiceUnavailable', Message: 'Sandbox outage' });
    route(req, res, authorization, accounts, trading).catch((error: unknown) => {
      if (error instanceof OAuthError)
        return json(res, error.status, { error: error.error, error_description: error.description });
      json(res, 500, { Error: 'InternalServerError', Message: String(error) });
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  return {
    url,
    authorizeUrl: `${url}/authorize`,
    tokenUrl: `${url}/oauth/token`,
    revokeUrl: `${url}/oauth/revoke`,
    grants: authorization.grants,
    setOutage: (value) => void (down = value),
    revokeRefreshTokens: (clientId) =>
      authorization.revoke(
        new URLSearchParams({
          client_id: clientId,
          client_secret: authorization.clientOf(clientId).clientSecret,
        }),
      ),
    expireAccessTokens: () => authorization.expireAccessTokens(),
    openAccount: (account) => void (accounts = [...accounts, account]),
    closeAccount: (accountId) =>
      void (accounts = accounts.filter((account) => account.AccountID !== accountId)),
    setPrice: (symbol, cents) => trading.setPrice(symbol, cents),
    dropStreams: (refuseForMs) => trading.streams.drop(refuseForMs),
    goAwayStreams: () => trading.streams.goAway(),
    get openStreams() {
      return trading.streams.count;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        trading.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  authorization: SandboxAuthorization,
  accounts: readonly SandboxAccount[],
  trading: TradeStationTrading,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const key = `${req.method} ${url.pathname}`;
  if (url.pathname.startsWith('/sandbox')) return json(res, ...(await trading.control(req, key)));
  if (key === 'GET /authorize') return authorize(res, url.searchParams, authorization);
  if (key === 'POST /authorize/decision') return decide(res, await formOf(req), authorization);
  if (key === 'POST /oauth/token') return json(res, 200, authorization.exchange(await formOf(req)));
  if (key === 'POST /oauth/revoke') {
    authorization.revoke(await formOf(req));
    return json(res, 200, {});
  }
  if (url.pathname.startsWith('/v3/')) {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!authorization.isValidAccessToken(bearer))
      return json(res, 401, {
        Error: 'Unauthorized',
        Message: 'Access token is missing, invalid or expired',
      });
    if (trading.handles(url.pathname)) {
      if (!trading.admit(authorization.keyOf(bearer), url.pathname))
        return json(res, 429, { Error: 'TooManyRequests', Message: 'Rate limit exceeded; retry later' });
      const answer = await trading.answer(req, res, url);
      return answer && json(res, ...answer);
    }
    if (req.method !== 'GET') return json(res, 404, { Error: 'NotFound', Message: `No route ${key}` });
    const answer = brokerageAnswer(url.pathname, accounts);
    return json(res, answer.status, answer.body);
  }
  json(res, 404, { Error: 'NotFound', Message: `No route ${key}` });
}

function authorize(res: ServerResponse, params: URLSearchParams, authorization: SandboxAuthorization): void {
  const client = authorization.clientOf(params.get('client_id'));
  authorization.checkRedirect(client, params.get('redirect_uri'));
  if (params.get('response_type') !== 'code')
    throw new OAuthError(400, 'unsupported_response_type', 'response_type must be code');
  if (params.get('audience') !== 'https://api.tradestation.com')
    throw new OAuthError(400, 'invalid_request', 'audience must be https://api.tradestation.com');
  const method = params.get('code_challenge_method');
  if (params.has('code_challenge') && method !== 'S256')
    throw new OAuthError(400, 'invalid_request', 'code_challenge_method must be S256');
  res.writeHead(200, { ...SANDBOX_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(consentPage(params, client.clientId));
}

function decide(res: ServerResponse, form: URLSearchParams, authorization: SandboxAuthorization): void {
  const client = authorization.clientOf(form.get('client_id'));
  const redirectUri = authorization.checkRedirect(client, form.get('redirect_uri'));
  const redirect = new URL(redirectUri);
  if (form.get('decision') === 'allow') {
    const code = authorization.issueCode({
      clientId: client.clientId,
      redirectUri,
      scope: form.get('scope') ?? 'openid',
      ...(form.get('code_challenge') && { codeChallenge: form.get('code_challenge') as string }),
    });
    redirect.searchParams.set('code', code);
  } else {
    redirect.searchParams.set('error', 'access_denied');
    redirect.searchParams.set('error_description', 'The user denied access');
  }
  const state = form.get('state');
  if (state) redirect.searchParams.set('state', state);
  res.writeHead(302, { ...SANDBOX_HEADERS, Location: redirect.toString() });
  res.end();
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { ...SANDBOX_HEADERS, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
