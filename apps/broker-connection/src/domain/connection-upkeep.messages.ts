import type { Reason } from '@tradecore/contracts';

/**
 * Internal events of connection upkeep: what the health monitor and the token upkeep learned
 * about an established connection. Not published; the API, readiness and metrics show them.
 */
export interface BrokerConnectionDegraded {
  readonly type: 'BrokerConnectionDegraded';
  readonly connectionId: string;
  readonly userId: string;
  readonly reason: Reason;
  readonly failures: number;
  readonly degradedAt: string;
}

export interface BrokerConnectionOffline {
  readonly type: 'BrokerConnectionOffline';
  readonly connectionId: string;
  readonly userId: string;
  readonly reason: Reason;
  readonly failures: number;
  readonly offlineAt: string;
}

export interface BrokerConnectionRecovered {
  readonly type: 'BrokerConnectionRecovered';
  readonly connectionId: string;
  readonly userId: string;
  readonly recoveredAt: string;
}

export interface BrokerConnectionNeedsReauth {
  readonly type: 'BrokerConnectionNeedsReauth';
  readonly connectionId: string;
  readonly userId: string;
  readonly reason: Reason;
  readonly detectedAt: string;
}

export interface BrokerConnectionReauthorized {
  readonly type: 'BrokerConnectionReauthorized';
  readonly connectionId: string;
  readonly userId: string;
  readonly reauthorizedAt: string;
}

export type UpkeepEvent =
  | BrokerConnectionDegraded
  | BrokerConnectionOffline
  | BrokerConnectionRecovered
  | BrokerConnectionNeedsReauth
  | BrokerConnectionReauthorized;

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
