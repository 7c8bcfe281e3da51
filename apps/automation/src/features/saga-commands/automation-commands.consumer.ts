import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AutomationCommand,
  automationCommandTypes,
  AutomationDeletionCause,
  DeleteAutomationsResult,
  SagaCommandResult,
} from '@tradecore/contracts';
import { answerSagaCommand, DomainError, Envelope, EventStore } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { AutomationStream } from '../../infrastructure/automation-stream';
import { tableOf } from '../../projections/tables';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ids(value: unknown, field: string): string[] {
  if (
    !Array.isArray(value) ||
    value.length > 500 ||
    !value.every((id) => typeof id === 'string' && UUID.test(id))
  )
    throw new DomainError('INVALID_COMMAND', `${field} must be a list of at most 500 UUIDs`);
  return value as string[];
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    throw new DomainError('INVALID_COMMAND', `${field} must be a non-empty string`);
  return value;
}

/** The automation's part in BrokerDisconnection and UserDeletion, answered on saga.replies with its effects. */
@ConsumesTopic('automation.commands', {
  group: 'automation.saga-commands',
  knownTypes: automationCommandTypes,
})
export class AutomationCommandsConsumer implements TopicConsumer {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AutomationStream) private readonly stream: AutomationStream,
  ) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const type = envelope.type as AutomationCommand['type'];
    const payload = (envelope.payload ?? {}) as Record<string, unknown>;
    await answerSagaCommand<AutomationCommand['type']>(this.store, envelope, manager, () =>
      this.dispatch(type, payload, manager),
    );
  }

  private async dispatch(
    type: AutomationCommand['type'],
    payload: Record<string, unknown>,
    manager: EntityManager,
  ): Promise<SagaCommandResult<AutomationCommand['type']>> {
    switch (type) {
      case 'DeleteAccountAutomations': {
        text(payload.connectionId, 'connectionId');
        const found = await this.liveAutomations(
          manager,
          'account_id = ANY($1::uuid[])',
          ids(payload.accountIds, 'accountIds'),
        );
        return this.deleteAll(found, 'broker-disconnection', manager);
      }
      case 'DeleteUserAutomations': {
        const found = await this.liveAutomations(manager, 'user_id = $1', text(payload.userId, 'userId'));
        return this.deleteAll(found, 'user-deletion', manager);
      }
      case 'RestoreAutomations': {
        const at = new Date().toISOString();
        for (const automationId of ids(payload.automationIds, 'automationIds'))
          await this.stream.execute(automationId, { type: 'RestoreAutomation', at }, { tx: manager });
        return {} as SagaCommandResult<AutomationCommand['type']>;
      }
      default: {
        const unhandled: never = type;
        throw new Error(`no handler for saga command ${String(unhandled)}`);
      }
    }
  }

  private async liveAutomations(
    manager: EntityManager,
    condition: string,
    value: unknown,
  ): Promise<string[]> {
    const rows: { automation_id: string }[] = await manager.query(
      `SELECT automation_id FROM ${tableOf(manager, 'automations')} WHERE ${condition} AND status <> 'DELETED' ORDER BY automation_id`,
      [value],
    );
    return rows.map((row) => row.automation_id);
  }

  private async deleteAll(
    automationIds: string[],
    cause: AutomationDeletionCause,
    manager: EntityManager,
  ): Promise<DeleteAutomationsResult> {
    const at = new Date().toISOString();
    for (const automationId of automationIds)
      await this.stream.execute(automationId, { type: 'DeleteAutomation', cause, at }, { tx: manager });
    return { deletedAutomationIds: automationIds };
  }
}
