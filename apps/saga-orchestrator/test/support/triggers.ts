import { v7 as uuidv7 } from 'uuid';
import type { OrchestratorKit } from './orchestrator-kit';
import { accountsOf } from './scripted-participants';

/** The trigger events, published as broker-connection and user-account would. */
export const triggers = (kit: OrchestratorKit) => {
  const connectionRequested = (connectionId: string, userId = uuidv7(), broker = 'virtual', meta = {}) =>
    kit.publish(
      'broker-connection.events',
      'BrokerConnectionRequested',
      connectionId,
      { connectionId, userId, broker, mode: 'paper', requestedAt: new Date().toISOString() },
      meta,
    );
  return {
    connectionRequested: (connectionId: string, userId?: string, broker?: string) =>
      connectionRequested(connectionId, userId, broker),
    /** A virtual connection requested by a caller whose W3C trace context the message carries. */
    tracedConnectionRequested: (connectionId: string, traceparent: string) =>
      connectionRequested(connectionId, undefined, undefined, { traceparent }),
    disconnectRequested: (connectionId: string, userId = uuidv7(), disconnectionId = uuidv7()) =>
      kit.publish('broker-connection.events', 'BrokerDisconnectRequested', connectionId, {
        connectionId,
        userId,
        ...accountsOf(connectionId),
        disconnectionId,
        cause: 'user',
        requestedAt: new Date().toISOString(),
      }),
    userDeletionRequested: (userId: string) =>
      kit.publish('user-account.events', 'UserDeletionRequested', userId, {
        userId,
        requestedAt: new Date().toISOString(),
      }),
  };
};
