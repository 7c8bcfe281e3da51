import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { BrokerConnectionCommand, brokerConnectionCommandTypes } from '@tradecore/contracts';
import type { Envelope } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import {
  CloseUserConnectionsMessage,
  ReopenUserConnectionsMessage,
} from '../close-user-connections/close-user-connections.handlers';
import {
  MarkConnectionConnectedMessage,
  MarkConnectionFailedMessage,
} from '../complete-connection/complete-connection.handler';
import {
  BeginConnectionPurgeMessage,
  PurgeConnectionMessage,
  RestoreConnectionMessage,
} from '../purge-connection/purge-connection.handlers';
import { VerifyBrokerCredentialsMessage } from '../verify-credentials/verify-credentials.handler';
import { SagaCommandMessage } from './saga-command';

type MessageClass = new (envelope: Envelope<never>, manager: EntityManager) => SagaCommandMessage<unknown>;

const MESSAGES: { readonly [T in BrokerConnectionCommand['type']]: MessageClass } = {
  VerifyBrokerCredentials: VerifyBrokerCredentialsMessage,
  MarkConnectionConnected: MarkConnectionConnectedMessage,
  MarkConnectionFailed: MarkConnectionFailedMessage,
  CloseUserConnections: CloseUserConnectionsMessage,
  ReopenUserConnections: ReopenUserConnectionsMessage,
  BeginConnectionPurge: BeginConnectionPurgeMessage,
  RestoreConnection: RestoreConnectionMessage,
  PurgeConnection: PurgeConnectionMessage,
};

/** Thin: each saga command goes straight to its handler, in the inbox transaction. */
@ConsumesTopic('broker-connection.commands', {
  group: 'broker-connection.saga-commands',
  knownTypes: brokerConnectionCommandTypes,
})
export class BrokerConnectionCommandsConsumer implements TopicConsumer {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const Message = MESSAGES[envelope.type as BrokerConnectionCommand['type']];
    await this.commandBus.execute(new Message(envelope as Envelope<never>, manager));
  }
}
