import type { BrokerKind, DiscoveredAccount, TradingMode } from '@tradecore/contracts';

export interface AlpacaCredentials {
  readonly apiKeyId: string;
  readonly apiSecretKey: string;
}

export interface TradeStationCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/** Not a secret, but kept beside the others so every adapter reads its settings the same way. */
export interface VirtualAccountsRequest {
  readonly accountCount: number;
  readonly startingCash: string;
  readonly currency: string;
}

export type BrokerCredentials =
  | ({ readonly broker: 'alpaca' } & AlpacaCredentials)
  | ({ readonly broker: 'tradestation' } & TradeStationCredentials)
  | ({ readonly broker: 'virtual' } & VirtualAccountsRequest);

export interface DiscoveryRequest<C extends BrokerCredentials = BrokerCredentials> {
  readonly connectionId: string;
  readonly mode: TradingMode;
  readonly credentials: C;
}

export type BrokerFailureCode = 'INVALID_CREDENTIALS' | 'BROKER_TIMEOUT' | 'BROKER_UNAVAILABLE';

/**
 * Whose fault a failure is: only the broker's own (down, slow, 5xx) counts against the circuit
 * breaker all users share; the caller's (refused keys, a 4xx for this request) never does.
 */
export type FailureBlame = 'broker' | 'caller';

/** A broker call that failed for a reason the saga can act on; the message never holds a secret. */
export class BrokerAdapterError extends Error {
  constructor(
    readonly code: BrokerFailureCode,
    message: string,
    readonly blame: FailureBlame = 'broker',
  ) {
    super(message);
    this.name = 'BrokerAdapterError';
  }

  /** A broker that did not answer, or could not, may well answer a later try. */
  get transient(): boolean {
    return this.code === 'BROKER_TIMEOUT' || this.code === 'BROKER_UNAVAILABLE';
  }
}

/** One broker: prove the credentials work and list the accounts (with balances) they reach. */
export interface BrokerAdapter<C extends BrokerCredentials = BrokerCredentials> {
  readonly broker: BrokerKind;
  discoverAccounts(request: DiscoveryRequest<C>): Promise<DiscoveredAccount[]>;
}
