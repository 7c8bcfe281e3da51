import type { ConnectionStatus, Present } from './broker-connection.messages';
import type { UpkeepCommand, UpkeepEvent } from './connection-upkeep.messages';
import { notConnected, ref, refuse } from './connection-rules';

/** Established and not being taken down: what the monitor checks and what a user can reauthorise. */
export const UPKEPT_STATUSES: readonly ConnectionStatus[] = ['CONNECTED', 'DEGRADED', 'OFFLINE'];

/** A connection the broker granted once; a user may disconnect it whatever its health. */
export const isEstablished = (status: ConnectionStatus): boolean =>
  UPKEPT_STATUSES.includes(status) || status === 'NEEDS_REAUTH';

// A check or refresh that lost the race against a disconnection is history, not an error.
export function decideUpkeep(command: UpkeepCommand, state: Present): readonly UpkeepEvent[] {
  switch (command.type) {
    case 'RecordHealthCheck':
      return UPKEPT_STATUSES.includes(state.status) ? decideHealth(command, state) : [];
    case 'MarkNeedsReauth':
      if (state.status === 'NEEDS_REAUTH') return [];
      if (!UPKEPT_STATUSES.includes(state.status)) notConnected(state);
      return [
        {
          type: 'BrokerConnectionNeedsReauth',
          ...ref(state),
          reason: command.reason,
          detectedAt: command.at,
        },
      ];
    case 'Reauthorize':
      if (state.status === 'CONNECTED') return [];
      if (state.status !== 'NEEDS_REAUTH')
        refuse(
          'CONNECTION_NOT_AWAITING_REAUTH',
          `The connection is ${state.status}; only a connection that needs re-authorisation can be signed in again`,
          { status: state.status },
        );
      return [{ type: 'BrokerConnectionReauthorized', ...ref(state), reauthorizedAt: command.at }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function decideHealth(
  command: Extract<UpkeepCommand, { type: 'RecordHealthCheck' }>,
  state: Present,
): readonly UpkeepEvent[] {
  const { consecutiveFailures: failures, limits, at } = command;
  if (failures === 0)
    return state.status === 'CONNECTED'
      ? []
      : [{ type: 'BrokerConnectionRecovered', ...ref(state), recoveredAt: at }];
  const reason = command.reason ?? { code: 'BROKER_UNAVAILABLE', message: 'The broker did not answer' };
  if (failures >= limits.offlineAfter && state.status !== 'OFFLINE')
    return [{ type: 'BrokerConnectionOffline', ...ref(state), reason, failures, offlineAt: at }];
  if (failures >= limits.degradedAfter && state.status === 'CONNECTED')
    return [{ type: 'BrokerConnectionDegraded', ...ref(state), reason, failures, degradedAt: at }];
  return [];
}
