import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { brokerConnectionEventTypes } from '@tradecore/contracts';
import {
  CommandResult,
  DomainError,
  EventStore,
  handleCommand,
  loadStream,
  LoadedStream,
} from '@tradecore/eventing';
import {
  brokerConnectionDecider,
  ConnectionCommand,
  ConnectionEvent,
  ConnectionState,
} from '../domain/broker-connection.decider';
import { projectConnectionSummary } from '../projections/connection-summary.projection';

const published = new Set<string>(brokerConnectionEventTypes);

/** The one write path for connections: decide, append, publish the contract events, project inline. */
@Injectable()
export class ConnectionStream {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  load(connectionId: string): Promise<LoadedStream<ConnectionState>> {
    return loadStream(this.store, brokerConnectionDecider, connectionId);
  }

  /** Someone else's connection is reported exactly like a missing one, so ids cannot be probed. */
  async loadOwned(connectionId: string, userId: string): Promise<LoadedStream<ConnectionState>> {
    const loaded = await this.load(connectionId);
    if (loaded.state.status === 'ABSENT' || loaded.state.userId !== userId)
      throw new DomainError('CONNECTION_NOT_FOUND', 'No such broker connection');
    return loaded;
  }

  execute(
    connectionId: string,
    command: ConnectionCommand,
    options: { manager?: EntityManager; expectedVersion?: number } = {},
  ): Promise<CommandResult<ConnectionEvent, ConnectionState>> {
    return handleCommand({
      store: this.store,
      decider: brokerConnectionDecider,
      streamId: connectionId,
      streamType: 'BrokerConnection',
      command,
      topic: (envelope) => (published.has(envelope.type) ? 'broker-connection.events' : undefined),
      inlineProjectors: [projectConnectionSummary],
      ...options,
    });
  }
}
