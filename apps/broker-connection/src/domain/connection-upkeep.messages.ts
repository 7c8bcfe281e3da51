import type {
  BrokerConnectionDegraded,
  BrokerConnectionNeedsReauth,
  BrokerConnectionOffline,
  BrokerConnectionReauthorized,
  BrokerConnectionRecovered,
  Flat,
  Reason,
} from '@tradecore/contracts';

/**
 * What the health monitor and the token upkeep learned about an established connection, as the
 * contract publishes it on broker-connection.events (the channel, the API, readiness and metrics show it).
 */
export type UpkeepEvent =
  | Flat<BrokerConnectionDegraded>
  | Flat<BrokerConnectionOffline>
  | Flat<BrokerConnectionRecovered>
  | Flat<BrokerConnectionNeedsReauth>
  | Flat<BrokerConnectionReauthorized>;

/** How many failed checks in a row make a connection DEGRADED, and how many OFFLINE. */
export interface HealthLimits {
  readonly degradedAfter: number;
  readonly offlineAfter: number;
}

export type UpkeepCommand =
  | {
      readonly type: 'RecordHealthCheck';
      /** 0 when the check passed. */
      readonly consecutiveFailures: number;
      readonly reason?: Reason;
      readonly limits: HealthLimits;
      readonly at: string;
    }
  | { readonly type: 'MarkNeedsReauth'; readonly reason: Reason; readonly at: string }
  | { readonly type: 'Reauthorize'; readonly at: string };
