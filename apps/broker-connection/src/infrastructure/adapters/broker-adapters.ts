import type { BrokerKind, DiscoveredAccount, TradingMode } from '@tradecore/contracts';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { AlpacaAdapter } from './alpaca.adapter';
import { type BrokerAdapter, type BrokerCredentials } from './broker-adapter';
import { type BrokerResilience } from './broker-resilience';
import { type AccessTokenSource, refreshOnEveryCall, TradeStationAdapter } from './tradestation.adapter';
import { TradeStationTokenEndpoint } from './tradestation-token-endpoint';
import { VirtualAdapter } from './virtual.adapter';

/** Picks the adapter for a connection's broker; the only place that knows all three. */
export class BrokerAdapters {
  private readonly adapters: {
    readonly [B in BrokerKind]: BrokerAdapter<Extract<BrokerCredentials, { broker: B }>>;
  };

  constructor(
    env: Pick<
      BrokerConnectionEnv,
      | 'ALPACA_PAPER_BASE_URL'
      | 'ALPACA_LIVE_BASE_URL'
      | 'TRADESTATION_TOKEN_URL'
      | 'TRADESTATION_SIM_BASE_URL'
      | 'TRADESTATION_LIVE_BASE_URL'
    >,
    readonly resilience: BrokerResilience,
    /** Stored, refreshed-ahead access tokens (token upkeep); without it every call refreshes. */
    tokens?: AccessTokenSource,
  ) {
    this.adapters = {
      alpaca: new AlpacaAdapter(
        { paper: env.ALPACA_PAPER_BASE_URL, live: env.ALPACA_LIVE_BASE_URL },
        resilience,
      ),
      tradestation: new TradeStationAdapter(
        {
          paper: env.TRADESTATION_SIM_BASE_URL,
          live: env.TRADESTATION_LIVE_BASE_URL,
        },
        resilience,
        tokens ?? refreshOnEveryCall(new TradeStationTokenEndpoint(env.TRADESTATION_TOKEN_URL, resilience)),
      ),
      virtual: new VirtualAdapter(),
    };
  }

  discoverAccounts(
    connectionId: string,
    mode: TradingMode,
    credentials: BrokerCredentials,
  ): Promise<DiscoveredAccount[]> {
    switch (credentials.broker) {
      case 'alpaca':
        return this.adapters.alpaca.discoverAccounts({ connectionId, mode, credentials });
      case 'tradestation':
        return this.adapters.tradestation.discoverAccounts({ connectionId, mode, credentials });
      case 'virtual':
        return this.adapters.virtual.discoverAccounts({ connectionId, mode, credentials });
      default: {
        const unknown: never = credentials;
        return unknown;
      }
    }
  }
}
