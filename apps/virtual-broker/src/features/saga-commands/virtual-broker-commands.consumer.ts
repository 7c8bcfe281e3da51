import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { PlaceOrder, SagaCommandResult, topics, VirtualBrokerCommand } from '@tradecore/contracts';
import { answerSagaCommand, Envelope, EventStore } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { CancelOpenOrdersCommand } from '../cancel-open-orders/cancel-open-orders.handler';
import { PlaceOrderMessageCommand } from '../place-order/place-order-message.handler';
import { ProvisionVirtualAccountsCommand } from '../provision-virtual-accounts/provision-virtual-accounts.handler';
import { PurgeVirtualAccountsCommand } from '../purge-virtual-accounts/purge-virtual-accounts.handler';
import { RestoreVirtualAccountsCommand } from '../restore-virtual-accounts/restore-virtual-accounts.handler';
import {
  PlaceOrderMessageDto,
  ProvisionVirtualAccountsDto,
  validatedPayload,
  VirtualAccountIdsDto,
} from './saga-command.dto';

export const COMMANDS_TOPIC = 'virtual-broker.commands' as const;

/**
 * Every saga command of the virtual broker, answered on saga.replies with its effects
 * (answerSagaCommand), and the orders other services send, answered by order events.
 */
@ConsumesTopic(COMMANDS_TOPIC, {
  group: 'virtual-broker.saga-commands',
  knownTypes: topics[COMMANDS_TOPIC].messageTypes,
})
export class VirtualBrokerCommandsConsumer implements TopicConsumer {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    if (envelope.type === 'PlaceOrder') {
      const order = validatedPayload(PlaceOrderMessageDto, envelope.payload) as PlaceOrder['payload'];
      return this.commandBus.execute(new PlaceOrderMessageCommand(order, manager));
    }
    const type = envelope.type as VirtualBrokerCommand['type'];
    await answerSagaCommand<VirtualBrokerCommand['type']>(this.store, envelope, manager, () =>
      this.dispatch(type, envelope.payload, manager),
    );
  }

  private dispatch(
    type: VirtualBrokerCommand['type'],
    payload: unknown,
    manager: EntityManager,
  ): Promise<SagaCommandResult<VirtualBrokerCommand['type']>> {
    switch (type) {
      case 'ProvisionVirtualAccounts':
        return this.commandBus.execute(
          new ProvisionVirtualAccountsCommand(
            validatedPayload(ProvisionVirtualAccountsDto, payload),
            manager,
          ),
        );
      case 'PurgeVirtualAccounts':
        return this.commandBus.execute(
          new PurgeVirtualAccountsCommand(validatedPayload(VirtualAccountIdsDto, payload), manager),
        );
      case 'RestoreVirtualAccounts':
        return this.commandBus.execute(
          new RestoreVirtualAccountsCommand(validatedPayload(VirtualAccountIdsDto, payload), manager),
        );
      case 'CancelOpenOrders':
        return this.commandBus.execute(
          new CancelOpenOrdersCommand(validatedPayload(VirtualAccountIdsDto, payload), manager),
        );
      default: {
        const unhandled: never = type;
        throw new Error(`no handler for saga command ${String(unhandled)}`);
      }
    }
  }
}
