import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { brokerAccountEventTypes, Reason } from '@tradecore/contracts';
import { contractMessageOf, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { AutomationStream } from '../../infrastructure/automation-stream';
import { projectBrokerAccountEvent } from '../../projections/broker-accounts.projection';
import { tableOf } from '../../projections/tables';

export const ACCOUNT_GONE: Reason = {
  code: 'ACCOUNT_GONE',
  message: 'its broker account was disconnected or deleted',
};

const GONE: readonly string[] = [
  'BrokerAccountsDeleted',
  'BrokerAccountsUnlinked',
  'BrokerAccountsPurged',
  'BrokerAccountsClosed',
];

/**
 * Follows broker-account: which accounts exist and whose they are, their equity for sizing, and
 * the automations to pause when their account disappears (resumed if it is restored).
 */
@ConsumesTopic('broker-account.events', {
  group: 'automation.broker-accounts',
  knownTypes: brokerAccountEventTypes,
})
export class AccountEventsConsumer implements TopicConsumer {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async handle(envelope: Received<'broker-account.events'>, manager: EntityManager): Promise<void> {
    const event = contractMessageOf<'broker-account.events'>(envelope);
    await projectBrokerAccountEvent(manager, event, envelope.occurredAt);
    const accountIds = 'accountIds' in event.payload ? [...event.payload.accountIds] : [];
    if (GONE.includes(event.type)) await this.pauseAutomationsOf(accountIds, envelope.occurredAt, manager);
    if (event.type === 'BrokerAccountsRestored')
      await this.resumeAutomationsOf(accountIds, envelope.occurredAt, manager);
  }

  private async pauseAutomationsOf(accountIds: string[], at: string, manager: EntityManager): Promise<void> {
    for (const automationId of await this.automationsOf(accountIds, `status = 'ACTIVE'`, manager))
      await this.stream.execute(
        automationId,
        { type: 'PauseAutomation', reason: ACCOUNT_GONE, at },
        { tx: manager },
      );
  }

  private async resumeAutomationsOf(accountIds: string[], at: string, manager: EntityManager): Promise<void> {
    const pausedForIt = `status = 'PAUSED' AND paused_reason->>'code' = '${ACCOUNT_GONE.code}'`;
    for (const automationId of await this.automationsOf(accountIds, pausedForIt, manager))
      await this.stream.execute(automationId, { type: 'ResumeAutomation', at }, { tx: manager });
  }

  private async automationsOf(
    accountIds: string[],
    condition: string,
    manager: EntityManager,
  ): Promise<string[]> {
    const rows: { automation_id: string }[] = await manager.query(
      `SELECT automation_id FROM ${tableOf(manager, 'automations')} WHERE account_id = ANY($1::uuid[]) AND ${condition}`,
      [accountIds],
    );
    return rows.map((row) => row.automation_id);
  }
}
