import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { automationEventTypes } from '@tradecore/contracts';
import type { Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import type { AccountFacts } from '../../domain/automation.decider';
import { AutomationStream } from '../../infrastructure/automation-stream';
import { accountById } from '../../projections/broker-accounts.projection';

const ORDER_ID_NAMESPACE = 'b1a4f7f2-5a0e-4d0b-8f7e-2f4f9d6c3a10';

/** The signal's order id follows from the signal, so deciding it again can never place a second order. */
export const orderIdOf = (signalId: string): string => uuidv5(signalId, ORDER_ID_NAMESPACE);

/**
 * Decides each received signal, one automation's signals in order (they share its Kafka key). An
 * accepted signal's order command leaves through the outbox with the decision, or not at all.
 */
@ConsumesTopic('automation.events', {
  group: 'automation.signal-decisions',
  knownTypes: automationEventTypes,
  handles: ['SignalReceived'],
})
export class SignalReceivedConsumer implements TopicConsumer {
  constructor(@Inject(AutomationStream) private readonly stream: AutomationStream) {}

  async handle(envelope: Received<'automation.events'>, manager: EntityManager): Promise<void> {
    if (envelope.type !== 'SignalReceived') return;
    const { signalId, automationId, signal } = envelope.payload;
    const loaded = await this.stream.load(automationId, { tx: manager });
    const automation = loaded.state;
    if (automation.status === 'ABSENT') return;
    const account = await accountById(manager, automation.account.accountId);
    const facts: AccountFacts =
      account && account.status === 'ACTIVE'
        ? { status: 'active', ...(account.equity !== null && { equity: account.equity }) }
        : { status: 'gone' };
    await this.stream.execute(
      automationId,
      {
        type: 'DecideSignal',
        signalId,
        orderId: orderIdOf(signalId),
        signal,
        account: facts,
        at: new Date().toISOString(),
      },
      // Decided on the stream just read for the account, not read a second time.
      { tx: manager, loaded },
    );
  }
}
