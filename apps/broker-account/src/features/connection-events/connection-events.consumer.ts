import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import {
  BrokerAccountBalancesReported,
  BrokerConnectionEvent,
  BrokerConnectionPurged,
  brokerConnectionEventTypes,
} from '@tradecore/contracts';
import type { Envelope } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { PurgeAccountsCommand, RecordBalancesCommand } from './connection-events.handlers';

/** The connection events that change accounts; the others pass by without a transaction. */
export const FOLLOWED_CONNECTION_EVENTS: readonly BrokerConnectionEvent['type'][] = [
  'BrokerAccountBalancesReported',
  'BrokerConnectionPurged',
];

/** Follows the connections: balances the broker reported become equity history; a purged connection erases its accounts. */
@ConsumesTopic('broker-connection.events', {
  group: 'broker-account.connection-events',
  knownTypes: brokerConnectionEventTypes,
  handles: FOLLOWED_CONNECTION_EVENTS,
})
export class ConnectionEventsConsumer implements TopicConsumer {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    if (envelope.type === 'BrokerAccountBalancesReported')
      await this.commandBus.execute(
        new RecordBalancesCommand(envelope.payload as BrokerAccountBalancesReported['payload'], manager),
      );
    if (envelope.type === 'BrokerConnectionPurged')
      await this.commandBus.execute(
        new PurgeAccountsCommand(envelope.payload as BrokerConnectionPurged['payload'], manager),
      );
  }
}
