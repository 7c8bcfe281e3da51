// How many connections a user may hold, and when a new one would only repeat one they have.
import type { ConnectionStatus } from './broker-connection.messages';
import { refuse } from './connection-rules';

/** One of the user's connections as the allowance sees it. */
export interface HeldConnection {
  readonly connectionId: string;
  readonly status: ConnectionStatus;
  /** Same broker, mode and account key as the new request (never true for the paper broker). */
  readonly sameAccount: boolean;
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
  const duplicate = held.find((connection) => connection.sameAccount && LIVE.has(connection.status));
  if (duplicate)
    refuse(
      'CONNECTION_ALREADY_EXISTS',
      `connection ${duplicate.connectionId} (${duplicate.status}) already uses these credentials; use it, or disconnect it before connecting again`,
      { connectionId: duplicate.connectionId, status: duplicate.status },
    );
  const counted = held.filter((connection) => connection.status !== 'PURGED');
  if (counted.length >= limit)
    refuse(
      'CONNECTION_LIMIT_REACHED',
      `you already have ${counted.length} broker connections, the most one user may hold; disconnect one you no longer need first`,
      { limit, connectionIds: counted.map((connection) => connection.connectionId) },
    );
}
