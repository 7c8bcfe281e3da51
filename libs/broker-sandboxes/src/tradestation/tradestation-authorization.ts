import { createHash, randomBytes } from 'node:crypto';

/** One registered API key, as TradeStation Client Services would configure it. */
export interface SandboxClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Callback URLs the key accepts; a redirect_uri not listed is refused. */
  readonly redirectUris: readonly string[];
}

export interface AuthorizationSettings {
  /** Access tokens live 20 minutes at TradeStation (`expires_in: 1200`). */
  readonly accessTokenTtlSeconds: number;
  /** Keys configured for rotating refresh tokens get a new one with every refresh. */
  readonly rotateRefreshTokens: boolean;
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge?: string;
  readonly scope: string;
  readonly expiresAt: number;
}

export interface TokenGrant {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly token_type: 'Bearer';
}

/** Auth0's error body: `{ error, error_description }` with the HTTP status it answers with. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const token = (prefix: string) => `${prefix}_sandbox_${randomBytes(24).toString('base64url')}`;
const CODE_TTL_MS = 60_000;

/**
 * The authorization server's memory: codes (single use, a minute), refresh tokens per key and
 * access tokens with their expiry. Revocation, as TradeStation documents it, revokes every refresh
 * token of the key; access tokens already issued live until they expire.
 */
export class SandboxAuthorization {
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, { clientId: string; scope: string }>();
  private readonly accessTokens = new Map<string, number>();
  private readonly keyOfAccessToken = new Map<string, string>();
  readonly grants = { authorization_code: 0, refresh_token: 0 };

  constructor(
    private readonly clients: readonly SandboxClient[],
    readonly settings: AuthorizationSettings,
  ) {}

  clientOf(clientId: string | null): SandboxClient {
    const client = this.clients.find((candidate) => candidate.clientId === clientId);
    if (!client) throw new OAuthError(401, 'invalid_client', 'Unknown client_id');
    return client;
  }

  checkRedirect(client: SandboxClient, redirectUri: string | null): string {
    if (!redirectUri || !client.redirectUris.includes(redirectUri))
      throw new OAuthError(400, 'invalid_request', 'redirect_uri is not a callback URL of this API key');
    return redirectUri;
  }

  issueCode(request: Omit<PendingCode, 'expiresAt'>): string {
    const code = token('code');
    this.codes.set(code, { ...request, expiresAt: Date.now() + CODE_TTL_MS });
    return code;
  }

  exchange(form: URLSearchParams): TokenGrant {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.exchangeCode(form);
    if (grantType === 'refresh_token') return this.refresh(form);
    throw new OAuthError(
      400,
      'unsupported_grant_type',
      `grant_type ${grantType ?? '(none)'} is not supported`,
    );
  }

  revoke(form: URLSearchParams): void {
    const client = this.authenticate(form, true);
    for (const [refreshToken, owner] of this.refreshTokens)
      if (owner.clientId === client.clientId) this.refreshTokens.delete(refreshToken);
  }

  /** The API key (client id) an access token was issued to: rate limits count per key. */
  keyOf(accessToken: string): string {
    return this.keyOfAccessToken.get(accessToken) ?? accessToken;
  }

  isValidAccessToken(accessToken: string): boolean {
    return (this.accessTokens.get(accessToken) ?? 0) > Date.now();
  }

  /** For tests: as if every access token had reached its 20 minutes. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  private exchangeCode(form: URLSearchParams): TokenGrant {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expiresAt < Date.now())
      throw new OAuthError(403, 'invalid_grant', 'Invalid authorization code');
    const client = this.authenticate(form, !pending.codeChallenge);
    if (client.clientId !== pending.clientId || form.get('redirect_uri') !== pending.redirectUri)
      throw new OAuthError(403, 'invalid_grant', 'The code was issued to another client or redirect_uri');
    if (pending.codeChallenge) {
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== pending.codeChallenge)
        throw new OAuthError(403, 'invalid_grant', 'Failed to verify code verifier');
    }
    this.grants.authorization_code += 1;
    return this.grant(client.clientId, pending.scope, pending.scope.includes('offline_access'));
  }

  private refresh(form: URLSearchParams): TokenGrant {
    const client = this.authenticate(form, false);
    const refreshToken = form.get('refresh_token') ?? '';
    const owner = this.refreshTokens.get(refreshToken);
    if (!owner || owner.clientId !== client.clientId)
      throw new OAuthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
    this.grants.refresh_token += 1;
    if (!this.settings.rotateRefreshTokens) return this.grant(client.clientId, owner.scope, false);
    this.refreshTokens.delete(refreshToken);
    return this.grant(client.clientId, owner.scope, true);
  }

  /** The secret is required for the standard flow and optional with PKCE, as TradeStation documents. */
  private authenticate(form: URLSearchParams, secretRequired: boolean): SandboxClient {
    const client = this.clientOf(form.get('client_id'));
    const secret = form.get('client_secret');
    if ((secretRequired || secret !== null) && secret !== client.clientSecret)
      throw new OAuthError(401, 'access_denied', 'Unauthorized');
    return client;
  }

  private grant(clientId: string, scope: string, withRefreshToken: boolean): TokenGrant {
    const accessToken = token('at');
    this.accessTokens.set(accessToken, Date.now() + this.settings.accessTokenTtlSeconds * 1000);
    this.keyOfAccessToken.set(accessToken, clientId);
    const refreshToken = withRefreshToken ? token('rt') : undefined;
    if (refreshToken) this.refreshTokens.set(refreshToken, { clientId, scope });
    return {
      access_token: accessToken,
      ...(refreshToken && { refresh_token: refreshToken }),
      id_token: token('id'),
      expires_in: this.settings.accessTokenTtlSeconds,
      scope,
      token_type: 'Bearer',
    };
  }
}
