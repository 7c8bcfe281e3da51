import type { EntityManager } from 'typeorm';
import type { Envelope, InlineProjector } from '@tradecore/eventing';
import type { ConnectionEvent, ConnectionStatus } from '../domain/broker-connection.decider';
import { ConnectionSummaryEntity } from './connection-summary.entity';

const STATUS_AFTER: Partial<Record<ConnectionEvent['type'], ConnectionStatus>> = {
  BrokerCredentialsVerified: 'CONNECTING',
  BrokerConnected: 'CONNECTED',
  BrokerConnectionFailed: 'FAILED',
  BrokerDisconnectRequested: 'DISCONNECTING',
  BrokerDisconnected: 'DISCONNECTING',
  BrokerReconnected: 'CONNECTED',
  BrokerConnectionPurgeBegun: 'DISCONNECTED',
  BrokerConnectionPurged: 'PURGED',
};

/** Inline, so the owner reads their connection right after the request that changed it. */
export const projectConnectionSummary: InlineProjector = async (
  envelope: Envelope,
  manager: EntityManager,
) => {
  const event = { type: envelope.type, ...(envelope.payload as object) } as ConnectionEvent;
  const repository = manager.getRepository(ConnectionSummaryEntity);
  const at = new Date(envelope.occurredAt);
  if (event.type === 'BrokerConnectionRequested') {
    await repository.insert({
      connectionId: event.connectionId,
      userId: event.userId,
      broker: event.broker,
      mode: event.mode,
      status: 'PENDING',
      failure: null,
      linkedAccountIds: [],
      virtualAccountIds: [],
      disconnectionId: null,
      requestedAt: at,
      updatedAt: at,
      version: envelope.streamVersion,
    });
    return;
  }
  const changes: Partial<ConnectionSummaryEntity> = { updatedAt: at, version: envelope.streamVersion };
  switch (event.type) {
    case 'BrokerConnected':
      Object.assign(changes, {
        linkedAccountIds: event.linkedAccountIds,
        virtualAccountIds: event.virtualAccountIds,
      });
      break;
    case 'BrokerConnectionFailed':
      changes.failure = event.reason;
      break;
    case 'BrokerDisconnectRequested':
    case 'BrokerDisconnected':
      changes.disconnectionId = event.disconnectionId;
      break;
    case 'BrokerReconnected':
      changes.disconnectionId = null;
      break;
    case 'BrokerConnectionRestored': {
      const before = await repository.findOneByOrFail({ connectionId: envelope.streamId });
      changes.status = before.failure ? 'FAILED' : 'CONNECTED';
      changes.disconnectionId = null;
      break;
    }
    case 'BrokerConnectionPurged':
      Object.assign(changes, { linkedAccountIds: [], virtualAccountIds: [] });
      break;
  }
  const status = STATUS_AFTER[event.type];
  await repository.update({ connectionId: envelope.streamId }, { ...changes, ...(status && { status }) });
};
