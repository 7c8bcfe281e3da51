// How many connections a user may hold, and when a new one would only repeat one they have.
import type { ConnectionStatus } from './broker-connection.messages';
import { refuse } from './connection-rules';

/** One of the user's connections as the allowance sees it. */
export interface HeldConnection {
  readonly connectionId: string;
  readonly status: ConnectionStatus;
  /** Same broker, mode and account key as the new request (never true for the paper broker). */
  readonly sameAccount: boolean;
  /** The broker's account ids it reaches that the new request reaches too: the same login signed in again (TradeStation). */
  readonly sharedAccountIds?: readonly string[];
}

/** Connections that work or are about to: a new one to the same account would only duplicate it. */
const LIVE: ReadonlySet<ConnectionStatus> = new Set([
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'DEGRADED',
  'OFFLINE',
  'NEEDS_REAUTH',
  'DISCONNECTING',
]);

/**
 * A user holds at most `limit` connections that are not purged (failed and disconnected ones
 * count until their purge), and never two live ones to the same broker account: the second
 * request is refused naming the first, which the user can use, reconnect or disconnect.
 */
export function admitConnection(held: readonly HeldConnection[], limit: number): void {
  const shared = (connection: HeldConnection) => connection.sharedAccountIds ?? [];
  const duplicate = held.find(
    (connection) => (connection.sameAccount || shared(connection).length > 0) && LIVE.has(connection.status),
  );
  if (duplicate) {
    const { connectionId, status } = duplicate;
    const accountIds = shared(duplicate);
    refuse(
      'CONNECTION_ALREADY_EXISTS',
      duplicate.sameAccount || accountIds.length === 0
        ? `connection ${connectionId} (${status}) already uses these credentials; use it, or disconnect it before connecting again`
        : `connection ${connectionId} (${status}) already connects this login's accounts ${accountIds.join(', ')}; use it, or disconnect it before connecting again`,
      { connectionId, status, ...(accountIds.length > 0 && { accountIds }) },
    );
  }
  const counted = held.filter((connection) => connection.status !== 'PURGED');
  if (counted.length >= limit)
    refuse(
      'CONNECTION_LIMIT_REACHED',
      `you already have ${counted.length} broker connections, the most one user may hold; disconnect one you no longer need first`,
      { limit, connectionIds: counted.map((connection) => connection.connectionId) },
    );
}
