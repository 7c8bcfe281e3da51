import type { ConnectionCommand, ConnectionEvent, Present } from './broker-connection.messages';
import { isEstablished } from './connection-upkeep.decisions';
import { accounts, notConnected, notDisconnecting, ref, refuse } from './connection-rules';

export function decideDisconnect(
  command: Extract<ConnectionCommand, { type: 'RequestDisconnect' }>,
  state: Present,
): readonly ConnectionEvent[] {
  const running = state.status === 'DISCONNECTING' || state.status === 'DISCONNECTED';
  // A user deletion joins a disconnection already under way (or finished) instead of failing.
  if (command.cause === 'user-deletion' && (running || state.status === 'PURGED')) return [];
  if (running) refuse('CONNECTION_ALREADY_DISCONNECTING', 'A disconnection is already under way');
  if (state.status === 'PURGED') refuse('CONNECTION_NOT_FOUND', 'No such broker connection');
  // A user deletion does not wait for a connection still being connected: it fails it, so the
  // connection saga rolls back what it provisioned, and the disconnection then purges the rest.
  const inFlight = state.status === 'PENDING' || state.status === 'CONNECTING';
  if (inFlight && command.cause !== 'user-deletion') notConnected(state);
  if (!inFlight && !isEstablished(state.status) && state.status !== 'FAILED') notConnected(state);
  const failed: readonly ConnectionEvent[] = inFlight
    ? [
        {
          type: 'BrokerConnectionFailed',
          ...ref(state),
          reason: DELETED_WHILE_CONNECTING,
          failedAt: command.at,
        },
      ]
    : [];
  return [
    ...failed,
    {
      type: 'BrokerDisconnectRequested',
      ...ref(state),
      ...accounts(state),
      disconnectionId: command.disconnectionId,
      cause: command.cause,
      ...(command.parentSagaId && { parentSagaId: command.parentSagaId }),
      requestedAt: command.at,
    },
  ];
}

const DELETED_WHILE_CONNECTING = {
  code: 'USER_DELETION_REQUESTED',
  message: 'The user asked to be deleted while this connection was being set up',
};

export function decideBeginPurge(
  command: Extract<ConnectionCommand, { type: 'BeginPurge' }>,
  state: Present,
): readonly ConnectionEvent[] {
  const ours = state.disconnectionId === command.disconnectionId;
  if (state.status === 'PURGED' || (state.status === 'DISCONNECTED' && ours)) return [];
  if (isEstablished(state.status) || (state.status === 'DISCONNECTING' && !ours))
    refuse('CONNECTION_RECONNECTED', 'The connection came back after this disconnection was requested', {
      status: state.status,
    });
  if (state.status !== 'DISCONNECTING') notDisconnecting(state);
  return [
    {
      type: 'BrokerConnectionPurgeBegun',
      ...ref(state),
      disconnectionId: command.disconnectionId,
      begunAt: command.at,
    },
  ];
}

export function decideRestore(
  command: Extract<ConnectionCommand, { type: 'RestoreConnection' }>,
  state: Present,
): readonly ConnectionEvent[] {
  switch (state.status) {
    case 'PURGED':
      return refuse('CONNECTION_PURGED', 'The connection was already erased; there is nothing to restore');
    case 'PENDING':
    case 'CONNECTING':
      return notDisconnecting(state);
    case 'CONNECTED':
    case 'DEGRADED':
    case 'OFFLINE':
    case 'NEEDS_REAUTH':
    case 'FAILED':
    case 'DISCONNECTING':
      return [];
    case 'DISCONNECTED':
      if (state.disconnectionId !== command.disconnectionId)
        refuse('CONNECTION_RECONNECTED', 'A different disconnection owns this purge');
      return [
        {
          type: 'BrokerConnectionRestored',
          ...ref(state),
          disconnectionId: command.disconnectionId,
          restoredAt: command.at,
        },
      ];
    default: {
      const unknown: never = state.status;
      return unknown;
    }
  }
}
