import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { SagaReply, VirtualBrokerCommand, virtualBrokerCommandTypes } from '@tradecore/contracts';
import { DomainError, Envelope, EventStore } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { CancelOpenOrdersCommand } from '../cancel-open-orders/cancel-open-orders.handler';
import { ProvisionVirtualAccountsCommand } from '../provision-virtual-accounts/provision-virtual-accounts.handler';
import { PurgeVirtualAccountsCommand } from '../purge-virtual-accounts/purge-virtual-accounts.handler';
import { RestoreVirtualAccountsCommand } from '../restore-virtual-accounts/restore-virtual-accounts.handler';
import { ProvisionVirtualAccountsDto, validatedPayload, VirtualAccountIdsDto } from './saga-command.dto';

export const COMMANDS_TOPIC = 'virtual-broker.commands';
export const REPLIES_TOPIC = 'saga.replies';

/**
 * Answers every saga command with a SagaReply in the same transaction as its effects. A broken
 * rule rolls the effects back to the savepoint and is answered as a failure with its code; any
 * other error is retried and then dead-lettered, as the orchestrator's timeout expects.
 */
@ConsumesTopic(COMMANDS_TOPIC, {
  group: 'virtual-broker.saga-commands',
  knownTypes: virtualBrokerCommandTypes,
})
export class VirtualBrokerCommandsConsumer implements TopicConsumer {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const type = envelope.type as VirtualBrokerCommand['type'];
    await manager.query('SAVEPOINT saga_command');
    let outcome:
      | { outcome: 'succeeded'; result: object }
      | { outcome: 'failed'; reason: { code: string; message: string } };
    try {
      outcome = { outcome: 'succeeded', result: await this.dispatch(type, envelope.payload, manager) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT saga_command');
      outcome = { outcome: 'failed', reason: { code: error.code, message: error.message } };
    }
    const sagaId = envelope.sagaId ?? envelope.correlationId;
    const reply = {
      type: 'SagaReply',
      schemaVersion: 1,
      payload: {
        sagaId,
        step: envelope.sagaStep ?? type,
        commandType: type,
        commandMessageId: envelope.messageId,
        ...outcome,
      },
    } as SagaReply;
    await this.store.send([{ topic: REPLIES_TOPIC, key: sagaId, ...reply }], manager);
  }

  private dispatch(
    type: VirtualBrokerCommand['type'],
    payload: unknown,
    manager: EntityManager,
  ): Promise<object> {
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
