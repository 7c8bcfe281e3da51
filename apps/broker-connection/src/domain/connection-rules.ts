import { DomainError } from '@tradecore/eventing/domain';
import type { ConnectionState, ConnectionStatus, Present } from './broker-connection.messages';

export const refuse = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, details);
};

export function requirePresent(state: ConnectionState): Present {
  return state.status === 'ABSENT' ? refuse('CONNECTION_NOT_FOUND', 'No such broker connection') : state;
}

export const ref = (state: Present) => ({ connectionId: state.connectionId, userId: state.userId });
export const accounts = (state: Present) => ({
  linkedAccountIds: state.linkedAccountIds,
  virtualAccountIds: state.virtualAccountIds,
});

export function requireConnecting(state: Pick<Present, 'status'>): void {
  if (state.status !== 'PENDING' && state.status !== 'CONNECTING')
    refuse('CONNECTION_NOT_PENDING', `The connection is ${state.status}, not being connected`, {
      status: state.status,
    });
}

/**
 * The statuses in which a connection trades and keeps its order stream open: a degraded one still
 * answers, just not every time (the broker's circuit breaker spares the broker); an offline one does not.
 */
export const TRADING_STATUSES: readonly ConnectionStatus[] = ['CONNECTED', 'DEGRADED'];

/** For work that must not even start (a broker call) unless the connection is connected. */
export function assertConnected(state: ConnectionState): void {
  assertTrades(requirePresent(state));
}

/** Refuses a connection that cannot trade now, with a code that says why and what to do. */
export function assertTrades(connection: Pick<Present, 'status' | 'broker' | 'reason'>): void {
  if (connection.status === 'NEEDS_REAUTH')
    refuse(
      'CONNECTION_NEEDS_REAUTH',
      `${connection.reason?.message ?? "The broker no longer accepts this connection's sign-in"}; sign in again (POST /api/broker-connections/oauth/${connection.broker}/start with this connectionId)`,
      { status: connection.status, reason: connection.reason },
    );
  if (!TRADING_STATUSES.includes(connection.status)) notConnected(connection);
}

export function notConnected(state: Pick<Present, 'status' | 'reason'>): never {
  return refuse('CONNECTION_NOT_CONNECTED', `The connection is ${state.status}, not connected`, {
    status: state.status,
    ...(state.reason && { reason: state.reason }),
  });
}

export function notDisconnecting(state: Present): never {
  return refuse(
    'CONNECTION_NOT_DISCONNECTING',
    `The connection is ${state.status}; no disconnection is running`,
    {
      status: state.status,
    },
  );
}
