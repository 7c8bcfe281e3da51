import type { DiscoveredAccount } from '@tradecore/contracts';
import {
  type BrokerAdapter,
  BrokerAdapterError,
  type DiscoveryRequest,
  type TradeStationCredentials,
} from './broker-adapter';
import { type BrokerResilience } from './broker-resilience';
import { fetchBrokerJson } from './http-json';
import { type TradeStationTokenEndpoint } from './tradestation-token-endpoint';

/* Shapes from https://api.tradestation.com/docs/specification (Brokerage v3). */

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

/**
 * Where a connection's access token comes from. `rejected` is a token the API just refused
 * (expired or revoked early): the source must not hand it out again.
 */
export interface AccessTokenSource {
  accessTokenFor(
    connectionId: string,
    credentials: TradeStationCredentials,
    rejected?: string,
  ): Promise<string>;
}

/** Without a store of tokens: a new access token for every call, as before token upkeep. */
export const refreshOnEveryCall = (endpoint: TradeStationTokenEndpoint): AccessTokenSource => ({
  accessTokenFor: async (_connectionId, credentials) => (await endpoint.refresh(credentials)).accessToken,
});

export interface TradeStationUrls {
  /** `paper` is TradeStation's simulation environment. */
  readonly paper: string;
  readonly live: string;
}

type Request = DiscoveryRequest<{ broker: 'tradestation' } & TradeStationCredentials>;

/** TradeStation hands out short-lived access tokens: take a valid one, then list accounts and their balances. */
export class TradeStationAdapter implements BrokerAdapter<
  { broker: 'tradestation' } & TradeStationCredentials
> {
  readonly broker = 'tradestation' as const;

  constructor(
    private readonly urls: TradeStationUrls,
    private readonly resilience: BrokerResilience,
    private readonly tokens: AccessTokenSource,
  ) {}

  async discoverAccounts({ connectionId, mode, credentials }: Request): Promise<DiscoveredAccount[]> {
    const accessToken = await this.tokens.accessTokenFor(connectionId, credentials);
    try {
      return await this.discoverWith(accessToken, mode);
    } catch (error) {
      if (!(error instanceof BrokerAdapterError) || error.code !== 'INVALID_CREDENTIALS') throw error;
      // An access token can die before its expiry (revoked, clock skew): one fresh token, one more try.
      return this.discoverWith(
        await this.tokens.accessTokenFor(connectionId, credentials, accessToken),
        mode,
      );
    }
  }

  private async discoverWith(accessToken: string, mode: Request['mode']): Promise<DiscoveredAccount[]> {
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
}
