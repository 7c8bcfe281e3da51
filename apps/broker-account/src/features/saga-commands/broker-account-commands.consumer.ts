import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { BrokerAccountCommand, brokerAccountCommandTypes } from '@tradecore/contracts';
import type { Envelope } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import {
  DeleteBrokerAccountsMessage,
  RestoreBrokerAccountsMessage,
} from '../delete-accounts/delete-accounts.handlers';
import {
  LinkBrokerAccountsMessage,
  UnlinkBrokerAccountsMessage,
} from '../link-accounts/link-accounts.handlers';
import { SagaCommandMessage } from './saga-command';

type MessageClass = new (envelope: Envelope<never>, manager: EntityManager) => SagaCommandMessage<unknown>;

const MESSAGES: { readonly [T in BrokerAccountCommand['type']]: MessageClass } = {
  LinkBrokerAccounts: LinkBrokerAccountsMessage,
  UnlinkBrokerAccounts: UnlinkBrokerAccountsMessage,
  DeleteBrokerAccounts: DeleteBrokerAccountsMessage,
  RestoreBrokerAccounts: RestoreBrokerAccountsMessage,
};

/** Thin: each saga command goes straight to its handler, in the inbox transaction. */
@ConsumesTopic('broker-account.commands', {
  group: 'broker-account.saga-commands',
  knownTypes: brokerAccountCommandTypes,
})
export class BrokerAccountCommandsConsumer implements TopicConsumer {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const Message = MESSAGES[envelope.type as BrokerAccountCommand['type']];
    await this.commandBus.execute(new Message(envelope as Envelope<never>, manager));
  }
}
