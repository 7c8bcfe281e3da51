import type { DiscoveredAccount } from '@tradecore/contracts';
import { BrokerAdapter, DiscoveryRequest, TradeStationCredentials } from './broker-adapter';
import { BrokerResilience } from './broker-resilience';
import { fetchBrokerJson } from './http-json';

/* Shapes from https://api.tradestation.com/docs/specification (Brokerage v3) and the Auth0 token endpoint. */
interface TokenResponse {
  readonly access_token: string;
}

interface TradeStationAccount {
  readonly AccountID: string;
  readonly Currency: string;
  readonly Status: string;
  readonly AccountType: string;
}

interface TradeStationBalance {
  readonly AccountID: string;
  readonly CashBalance: string;
  readonly BuyingPower: string;
  readonly Equity: string;
}

export interface TradeStationUrls {
  readonly tokenUrl: string;
  /** `paper` is TradeStation's simulation environment. */
  readonly paper: string;
  readonly live: string;
}

type Request = DiscoveryRequest<{ broker: 'tradestation' } & TradeStationCredentials>;

/** TradeStation hands out short-lived access tokens: refresh one, then list accounts and their balances. */
export class TradeStationAdapter implements BrokerAdapter<
  { broker: 'tradestation' } & TradeStationCredentials
> {
  readonly broker = 'tradestation' as const;

  constructor(
    private readonly urls: TradeStationUrls,
    private readonly resilience: BrokerResilience,
  ) {}

  async discoverAccounts({ mode, credentials }: Request): Promise<DiscoveredAccount[]> {
    const accessToken = await this.refreshAccessToken(credentials);
    const headers = { Authorization: `Bearer ${accessToken}` };
    const base = `${this.urls[mode]}/v3/brokerage/accounts`;
    const api = { broker: 'tradestation', endpoint: mode } as const;
    const { Accounts: accounts } = await this.resilience.call(api, (signal) =>
      fetchBrokerJson<{ Accounts: TradeStationAccount[] }>('tradestation', base, { signal, headers }),
    );
    if (accounts.length === 0) return [];
    const ids = accounts.map((account) => account.AccountID).join(',');
    const { Balances: balances } = await this.resilience.call(api, (signal) =>
      fetchBrokerJson<{ Balances: TradeStationBalance[] }>('tradestation', `${base}/${ids}/balances`, {
        signal,
        headers,
      }),
    );
    const asOf = new Date().toISOString();
    return accounts.map((account) => {
      const balance = balances.find((candidate) => candidate.AccountID === account.AccountID);
      return {
        externalAccountId: account.AccountID,
        displayName: `TradeStation ${account.AccountType} ${account.AccountID}`,
        currency: account.Currency,
        accountType: account.AccountType.toLowerCase(),
        ...(balance && {
          balance: {
            cash: balance.CashBalance,
            buyingPower: balance.BuyingPower,
            equity: balance.Equity,
            asOf,
          },
        }),
      };
    });
  }

  private async refreshAccessToken(credentials: TradeStationCredentials): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: credentials.refreshToken,
    });
    const token = await this.resilience.call({ broker: 'tradestation', endpoint: 'token' }, (signal) =>
      fetchBrokerJson<TokenResponse>('tradestation', this.urls.tokenUrl, {
        method: 'POST',
        signal,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    return token.access_token;
  }
}
