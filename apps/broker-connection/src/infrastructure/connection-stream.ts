import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { brokerConnectionEventTypes } from '@tradecore/contracts';
import {
  AppendOptions,
  CommandResult,
  DomainError,
  EventStore,
  foldEvents,
  handleCommand,
  InlineProjector,
  loadStream,
  LoadedStream,
} from '@tradecore/eventing';
import {
  brokerConnectionDecider,
  ConnectionCommand,
  ConnectionEvent,
  ConnectionState,
} from '../domain/broker-connection.decider';
import { connectionSummaryProjection } from '../projections/connection-summary.projection';

const published = new Set<string>(brokerConnectionEventTypes);
const topic = (envelope: { type: string }) =>
  published.has(envelope.type) ? 'broker-connection.events' : undefined;

type RequestConnection = Extract<ConnectionCommand, { type: 'RequestConnection' }>;

/** The one write path for connections: decide, append, publish the contract events, project inline. */
@Injectable()
export class ConnectionStream {
  private readonly projectSummary: InlineProjector;

  constructor(@Inject(EventStore) private readonly store: EventStore) {
    this.projectSummary = connectionSummaryProjection(store.schema);
  }

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
    options: { manager?: EntityManager; expectedVersion?: number; outgoing?: AppendOptions['outgoing'] } = {},
  ): Promise<CommandResult<ConnectionEvent, ConnectionState>> {
    return handleCommand({
      store: this.store,
      decider: brokerConnectionDecider,
      streamId: connectionId,
      streamType: 'BrokerConnection',
      command,
      topic,
      inlineProjectors: [this.projectSummary],
      ...options,
    });
  }

  /** A connection id is minted by its request, so its stream is known to be empty and is not read. */
  async start(command: RequestConnection, manager: EntityManager): Promise<LoadedStream<ConnectionState>> {
    const { initialState } = brokerConnectionDecider;
    const events = brokerConnectionDecider.decide(command, initialState);
    const appended = await this.store.append(
      command.connectionId,
      'BrokerConnection',
      0,
      events.map(({ type, ...payload }) => ({ type, payload })),
      { topic, inlineProjectors: [this.projectSummary], manager },
    );
    return { version: appended.version, state: foldEvents(brokerConnectionDecider, initialState, events) };
  }
}
