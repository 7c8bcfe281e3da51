import { type Decider } from '@tradecore/eventing/domain';
import type {
  ConnectionCommand,
  ConnectionEvent,
  ConnectionState,
  Present,
} from './broker-connection.messages';
import {
  accounts,
  assertConnected,
  notConnected,
  notDisconnecting,
  ref,
  refuse,
  requireConnecting,
  requirePresent,
} from './connection-rules';
import { decideListedAccounts } from './account-discovery.decisions';
import { decideUpkeep } from './connection-upkeep.decisions';
import { decideBeginPurge, decideDisconnect, decideRestore } from './disconnection.decisions';

export * from './broker-connection.messages';
export * from './connection-upkeep.messages';
export { assertConnected, assertTrades, requireConnecting, TRADING_STATUSES } from './connection-rules';

// A connection is purged only by the disconnection that began the purge, so a connection
// that came back in the meantime is never erased by an older saga.

const initialState: ConnectionState = { status: 'ABSENT' };

function evolve(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  if (event.type === 'BrokerConnectionRequested') {
    const { connectionId, userId, broker, mode } = event;
    return {
      status: 'PENDING',
      connectionId,
      userId,
      broker,
      mode,
      linkedAccountIds: [],
      virtualAccountIds: [],
    };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'BrokerCredentialsVerified':
      return { ...state, status: 'CONNECTING' };
    case 'BrokerConnected':
      return {
        ...state,
        status: 'CONNECTED',
        linkedAccountIds: event.linkedAccountIds,
        virtualAccountIds: event.virtualAccountIds,
      };
    case 'BrokerConnectionFailed':
      return { ...state, status: 'FAILED', failure: event.reason };
    case 'BrokerDisconnectRequested':
    case 'BrokerDisconnected':
      return {
        ...state,
        status: 'DISCONNECTING',
        disconnectionId: event.disconnectionId,
        statusBeforeDisconnect: state.status === 'FAILED' ? 'FAILED' : 'CONNECTED',
      };
    case 'BrokerReconnected':
      return { ...state, status: 'CONNECTED', disconnectionId: undefined, reason: undefined };
    case 'BrokerConnectionDegraded':
      return { ...state, status: 'DEGRADED', reason: event.reason };
    case 'BrokerConnectionOffline':
      return { ...state, status: 'OFFLINE', reason: event.reason };
    case 'BrokerConnectionNeedsReauth':
      return { ...state, status: 'NEEDS_REAUTH', reason: event.reason };
    case 'BrokerConnectionRecovered':
    case 'BrokerConnectionReauthorized':
      return { ...state, status: 'CONNECTED', reason: undefined };
    case 'BrokerConnectionPurgeBegun':
      return { ...state, status: 'DISCONNECTED' };
    case 'BrokerConnectionRestored':
      return {
        ...state,
        status: state.statusBeforeDisconnect ?? 'CONNECTED',
        disconnectionId: undefined,
        reason: undefined,
      };
    case 'BrokerConnectionPurged':
      return { ...state, status: 'PURGED', linkedAccountIds: [], virtualAccountIds: [] };
    case 'BrokerAccountBalancesReported':
      return state;
    case 'BrokerAccountsChanged':
      return {
        ...state,
        linkedAccountIds: [
          ...state.linkedAccountIds.filter((id) => !event.closedAccountIds.includes(id)),
          ...event.openedAccountIds,
        ],
      };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function decide(command: ConnectionCommand, state: ConnectionState): readonly ConnectionEvent[] {
  if (command.type === 'RequestConnection') {
    if (state.status !== 'ABSENT') refuse('CONNECTION_ALREADY_EXISTS', 'This connection id is taken');
    if (command.broker === 'virtual' && command.mode === 'live')
      refuse('VIRTUAL_BROKER_PAPER_ONLY', 'The virtual broker trades on paper only; use mode "paper"');
    const { connectionId, userId, broker, mode, at } = command;
    return [{ type: 'BrokerConnectionRequested', connectionId, userId, broker, mode, requestedAt: at }];
  }
  const current = requirePresent(state);
  switch (command.type) {
    case 'RecordCredentialsVerified':
      return decideVerified(command, current);
    case 'MarkConnected':
      return decideConnected(command, current);
    case 'MarkFailed':
      // Already failed, maybe by a user deletion that has since moved it on towards its purge.
      if (current.status === 'FAILED' || current.failure) return [];
      requireConnecting(current);
      return [
        { type: 'BrokerConnectionFailed', ...ref(current), reason: command.reason, failedAt: command.at },
      ];
    case 'RequestDisconnect':
      return decideDisconnect(command, current);
    case 'RecordBrokerDisconnect':
      if (current.status !== 'CONNECTED') notConnected(current);
      return [
        {
          type: 'BrokerDisconnected',
          ...ref(current),
          ...accounts(current),
          disconnectionId: command.disconnectionId,
          reason: command.reason,
          disconnectedAt: command.at,
        },
      ];
    case 'ReportBalances':
      assertConnected(current);
      if (command.balances.length === 0)
        refuse(
          'NO_BALANCES_REPORTED',
          'The broker reported no balances; paper balances live on the virtual broker',
        );
      return [
        {
          type: 'BrokerAccountBalancesReported',
          ...ref(current),
          balances: command.balances,
          reportedAt: command.at,
        },
      ];
    case 'RecordListedAccounts':
      return decideListedAccounts(command, current);
    case 'Reconnect':
      if (current.status === 'DISCONNECTED')
        refuse(
          'CONNECTION_PURGE_ALREADY_BEGUN',
          'The connection is being erased and can no longer come back',
        );
      if (current.status !== 'DISCONNECTING') notDisconnecting(current);
      return [{ type: 'BrokerReconnected', ...ref(current), reconnectedAt: command.at }];
    case 'BeginPurge':
      return decideBeginPurge(command, current);
    case 'RestoreConnection':
      return decideRestore(command, current);
    case 'RecordHealthCheck':
    case 'MarkNeedsReauth':
    case 'Reauthorize':
      return decideUpkeep(command, current);
    case 'Purge':
      if (current.status === 'PURGED') return [];
      if (current.status !== 'DISCONNECTED' || current.disconnectionId !== command.disconnectionId)
        refuse(
          'CONNECTION_PURGE_NOT_BEGUN',
          `Begin the purge for disconnection ${command.disconnectionId} first`,
          {
            status: current.status,
          },
        );
      return [{ type: 'BrokerConnectionPurged', ...ref(current), purgedAt: command.at }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function decideVerified(
  command: Extract<ConnectionCommand, { type: 'RecordCredentialsVerified' }>,
  state: Present,
): readonly ConnectionEvent[] {
  requireConnecting(state);
  return state.status === 'CONNECTING'
    ? []
    : [
        {
          type: 'BrokerCredentialsVerified',
          connectionId: state.connectionId,
          accountCount: command.accountCount,
          verifiedAt: command.at,
        },
      ];
}

function decideConnected(
  command: Extract<ConnectionCommand, { type: 'MarkConnected' }>,
  state: Present,
): readonly ConnectionEvent[] {
  if (state.status === 'CONNECTED') return [];
  requireConnecting(state);
  const { broker, mode } = state;
  return [
    {
      type: 'BrokerConnected',
      ...ref(state),
      broker,
      mode,
      linkedAccountIds: command.linkedAccountIds,
      virtualAccountIds: command.virtualAccountIds,
      connectedAt: command.at,
    },
  ];
}

export const brokerConnectionDecider: Decider<ConnectionCommand, ConnectionEvent, ConnectionState> = {
  initialState,
  evolve,
  decide,
};
