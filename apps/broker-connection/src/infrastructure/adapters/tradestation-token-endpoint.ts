import type { TradeStationCredentials } from './broker-adapter';
import { type BrokerResilience } from './broker-resilience';
import { fetchBrokerJson } from './http-json';

/** TradeStation's Auth0 token answer; `refresh_token` only from a code, or a refresh when keys rotate. */
interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_in: number;
}

export interface TokenGrant {
  readonly accessToken: string;
  /** Present when the broker issued a new refresh token: the old one no longer works. */
  readonly refreshToken?: string;
  readonly expiresInSeconds: number;
}

export interface CodeExchange {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly code: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

/** `POST {token url}`, the one place that speaks TradeStation's grants, under the `tradestation:token` breaker. */
export class TradeStationTokenEndpoint {
  constructor(
    private readonly tokenUrl: string,
    private readonly resilience: BrokerResilience,
  ) {}

  refresh(credentials: TradeStationCredentials): Promise<TokenGrant> {
    return this.grant({
      grant_type: 'refresh_token',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: credentials.refreshToken,
    });
  }

  exchangeCode(exchange: CodeExchange): Promise<TokenGrant> {
    return this.grant({
      grant_type: 'authorization_code',
      client_id: exchange.clientId,
      client_secret: exchange.clientSecret,
      code: exchange.code,
      redirect_uri: exchange.redirectUri,
      code_verifier: exchange.codeVerifier,
    });
  }

  private async grant(form: Record<string, string>): Promise<TokenGrant> {
    const token = await this.resilience.call({ broker: 'tradestation', endpoint: 'token' }, (signal) =>
      fetchBrokerJson<TokenResponse>('tradestation', this.tokenUrl, {
        method: 'POST',
        signal,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      }),
    );
    return {
      accessToken: token.access_token,
      ...(token.refresh_token && { refreshToken: token.refresh_token }),
      expiresInSeconds: token.expires_in,
    };
  }
}
