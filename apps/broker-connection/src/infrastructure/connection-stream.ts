import type { FactoryProvider } from '@nestjs/common';
import { brokerConnectionEventTypes } from '@tradecore/contracts';
import {
  type CommandPath,
  commandPath,
  DomainError,
  EventStore,
  type LoadedStream,
} from '@tradecore/eventing';
import {
  brokerConnectionDecider,
  type ConnectionCommand,
  type ConnectionEvent,
  type ConnectionState,
} from '../domain/broker-connection.decider';
import { connectionSummaryProjection } from '../projections/connection-summary.projection';

const published = new Set<string>(brokerConnectionEventTypes);
const topic = (envelope: { type: string }) =>
  published.has(envelope.type) ? 'broker-connection.events' : undefined;

/** Connections: decided, appended, their contract events published, their summary projected inline. */
export type ConnectionStream = CommandPath<ConnectionCommand, ConnectionEvent, ConnectionState>;
export const ConnectionStream = Symbol('ConnectionStream');

export const connectionStreamProvider: FactoryProvider<ConnectionStream> = {
  provide: ConnectionStream,
  inject: [EventStore],
  useFactory: (store: EventStore) =>
    commandPath(store, {
      decider: brokerConnectionDecider,
      streamType: 'BrokerConnection',
      topic,
      projectors: [connectionSummaryProjection(store.schema)],
    }),
};

/** Someone else's connection is reported exactly like a missing one, so ids cannot be probed. */
export async function loadOwnedConnection(
  connections: ConnectionStream,
  connectionId: string,
  userId: string,
): Promise<LoadedStream<ConnectionState>> {
  const loaded = await connections.load(connectionId);
  if (loaded.state.status === 'ABSENT' || loaded.state.userId !== userId)
    throw new DomainError('CONNECTION_NOT_FOUND', 'No such broker connection');
  return loaded;
}
