import type { DiscoveredAccount } from '@tradecore/contracts';
import { type AlpacaCredentials, type BrokerAdapter, type DiscoveryRequest } from './broker-adapter';
import { type BrokerResilience } from './broker-resilience';
import { fetchBrokerJson } from './http-json';

/** The fields of Alpaca's `GET /v2/account` this service uses (https://docs.alpaca.markets/reference/getaccount-1). */
interface AlpacaAccount {
  readonly account_number: string;
  readonly status: string;
  readonly currency: string;
  readonly cash: string;
  readonly buying_power: string;
  readonly equity: string;
  readonly multiplier: string;
}

export interface AlpacaBaseUrls {
  readonly paper: string;
  readonly live: string;
}

/** An Alpaca key pair reaches exactly one account, so discovery is one call. */
export class AlpacaAdapter implements BrokerAdapter<{ broker: 'alpaca' } & AlpacaCredentials> {
  readonly broker = 'alpaca' as const;

  constructor(
    private readonly baseUrls: AlpacaBaseUrls,
    private readonly resilience: BrokerResilience,
  ) {}

  async discoverAccounts({
    mode,
    credentials,
  }: DiscoveryRequest<{ broker: 'alpaca' } & AlpacaCredentials>): Promise<DiscoveredAccount[]> {
    const account = await this.resilience.call({ broker: 'alpaca', endpoint: mode }, (signal) =>
      fetchBrokerJson<AlpacaAccount>('alpaca', `${this.baseUrls[mode]}/v2/account`, {
        signal,
        headers: { 'APCA-API-KEY-ID': credentials.apiKeyId, 'APCA-API-SECRET-KEY': credentials.apiSecretKey },
      }),
    );
    return [
      {
        externalAccountId: account.account_number,
        displayName: `Alpaca ${mode} ${account.account_number}`,
        currency: account.currency,
        accountType: Number(account.multiplier) > 1 ? 'margin' : 'cash',
        balance: {
          cash: account.cash,
          buyingPower: account.buying_power,
          equity: account.equity,
          asOf: new Date().toISOString(),
        },
      },
    ];
  }
}
