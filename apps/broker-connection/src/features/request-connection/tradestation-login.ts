import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { TradingMode } from '@tradecore/contracts';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import type { TradeStationCredentials } from '../../infrastructure/adapters/broker-adapter';
import { rethrowBrokerFailureAsHttp } from '../../infrastructure/adapters/broker-failure-http';
import { BrokerResilience } from '../../infrastructure/adapters/broker-resilience';
import { fetchBrokerJson } from '../../infrastructure/adapters/http-json';
import {
  type TokenGrant,
  TradeStationTokenEndpoint,
} from '../../infrastructure/adapters/tradestation-token-endpoint';

export interface TradeStationLogin {
  /** The broker's ids of the accounts the sign-in reaches: what makes two sign-ins the same login. */
  readonly accountIds: readonly string[];
  /** The credentials to keep: with the refresh token the broker rotated while being asked, if it did. */
  readonly credentials: TradeStationCredentials;
}

/**
 * Who a TradeStation sign-in is, before the connection is admitted. A refresh token tells nothing
 * of the login behind it (every sign-in gets a new one), so the accounts it reaches are asked for:
 * with the access token of a sign-in just completed, or else one got by a refresh.
 */
@Injectable()
export class TradeStationLogins {
  constructor(
    @Inject(TradeStationTokenEndpoint) private readonly endpoint: TradeStationTokenEndpoint,
    @Inject(BrokerResilience) private readonly resilience: BrokerResilience,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
  ) {}

  async identify(
    mode: TradingMode,
    credentials: TradeStationCredentials,
    grant?: TokenGrant,
  ): Promise<TradeStationLogin> {
    try {
      const granted = grant ?? (await this.endpoint.refresh(credentials));
      const base =
        mode === 'live'
          ? this.config.get('TRADESTATION_LIVE_BASE_URL', { infer: true })
          : this.config.get('TRADESTATION_SIM_BASE_URL', { infer: true });
      const { Accounts: accounts } = await this.resilience.call(
        { broker: 'tradestation', endpoint: mode },
        (signal) =>
          fetchBrokerJson<{ Accounts: { AccountID: string }[] }>(
            'tradestation',
            `${base}/v3/brokerage/accounts`,
            {
              signal,
              headers: { Authorization: `Bearer ${granted.accessToken}` },
            },
          ),
      );
      return {
        accountIds: accounts.map((account) => account.AccountID),
        credentials: granted.refreshToken
          ? { ...credentials, refreshToken: granted.refreshToken }
          : credentials,
      };
    } catch (error) {
      return rethrowBrokerFailureAsHttp(error);
    }
  }
}
