import { DomainError } from '@tradecore/eventing/domain';
import type { ConnectionState, Present } from './broker-connection.messages';

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

/** For work that must not even start (a broker call) unless the connection is connected. */
export function assertConnected(state: ConnectionState): void {
  const current = requirePresent(state);
  if (current.status === 'NEEDS_REAUTH')
    refuse(
      'CONNECTION_NEEDS_REAUTH',
      `${current.reason?.message ?? "The broker no longer accepts this connection's sign-in"}; sign in again (POST /api/broker-connections/oauth/${current.broker}/start with this connectionId)`,
      { status: current.status, reason: current.reason },
    );
  // A degraded connection still answers, just not every time; an offline one does not.
  if (current.status !== 'CONNECTED' && current.status !== 'DEGRADED') notConnected(current);
}

export function notConnected(state: Present): never {
  return refuse('CONNECTION_NOT_CONNECTED', `The connection is ${state.status}, not connected`, {
    status: state.status,
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
