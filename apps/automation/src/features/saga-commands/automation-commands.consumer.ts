import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AutomationCommand,
  AutomationDeletionCause,
  DeleteAutomationsResult,
  topics,
} from '@tradecore/contracts';
import {
  CommandContext,
  DomainError,
  EventStore,
  ParticipantOf,
  PayloadOf,
  SagaParticipant,
} from '@tradecore/eventing';
import { ConsumesTopic } from '@tradecore/eventing/nest';
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

const TOPIC = 'automation.commands';
type Payload<C extends AutomationCommand['type']> = PayloadOf<typeof TOPIC, C>;

/** The automation's part in BrokerConnection, BrokerDisconnection and UserDeletion, answered on saga.replies with its effects. */
@ConsumesTopic(TOPIC, { group: 'automation.saga-commands', knownTypes: topics[TOPIC].messageTypes })
export class AutomationCommandsConsumer
  extends SagaParticipant<typeof TOPIC>
  implements ParticipantOf<typeof TOPIC>
{
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AutomationStream) private readonly stream: AutomationStream,
  ) {
    // Issuing a key refuses only a payload without a user, before it writes.
    super(store, { refuseBeforeWriting: ['IssueAutomationDataKey'] });
  }

  async DeleteAccountAutomations(payload: Payload<'DeleteAccountAutomations'>, { tx }: CommandContext) {
    text(payload.connectionId, 'connectionId');
    const accountIds = ids(payload.accountIds, 'accountIds');
    return this.deleteAll(
      'account_id = ANY($1::uuid[])',
      accountIds,
      payload.deletionId,
      'broker-disconnection',
      tx,
    );
  }

  async DeleteUserAutomations(payload: Payload<'DeleteUserAutomations'>, { tx }: CommandContext) {
    const userId = text(payload.userId, 'userId');
    return this.deleteAll('user_id = $1', userId, payload.deletionId, 'user-deletion', tx);
  }

  async RestoreAutomations(payload: Payload<'RestoreAutomations'>, { tx }: CommandContext) {
    const at = new Date().toISOString();
    for (const automationId of ids(payload.automationIds, 'automationIds'))
      await this.stream.execute(automationId, { type: 'RestoreAutomation', at }, { tx });
    return {};
  }

  /** broker-account seals the balances it publishes for the key answered here (docs/privacy.md). */
  async IssueAutomationDataKey(payload: Payload<'IssueAutomationDataKey'>, { tx }: CommandContext) {
    return { publicKey: await this.store.personalData!.publicKey(text(payload.userId, 'userId'), tx) };
  }

  /**
   * Deletes the live automations that match, recording the deletion on each, and answers them
   * together with those this deletion deleted before: a resent command (its first reply lost)
   * names the same automations, so the saga's compensation restores every one of them.
   */
  private async deleteAll(
    condition: string,
    value: unknown,
    deletionId: string | undefined,
    cause: AutomationDeletionCause,
    manager: EntityManager,
  ): Promise<DeleteAutomationsResult> {
    if (deletionId !== undefined) text(deletionId, 'deletionId');
    const rows: { automation_id: string; status: string }[] = await manager.query(
      `SELECT automation_id, status FROM ${tableOf(manager, 'automations')}
       WHERE ${condition} AND (status <> 'DELETED' OR deleted_by = $2) ORDER BY automation_id`,
      [value, deletionId ?? null],
    );
    const at = new Date().toISOString();
    for (const { automation_id: automationId, status } of rows)
      if (status !== 'DELETED')
        await this.stream.execute(
          automationId,
          { type: 'DeleteAutomation', cause, ...(deletionId !== undefined && { deletionId }), at },
          { tx: manager },
        );
    return { deletedAutomationIds: rows.map((row) => row.automation_id) };
  }
}
