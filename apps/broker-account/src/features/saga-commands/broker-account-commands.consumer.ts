import { Inject } from '@nestjs/common';
import { topics, type MessageOnTopic } from '@tradecore/contracts';
import { EventStore, ParticipantOf, PayloadOf, SagaContext, SagaParticipant } from '@tradecore/eventing';
import { ConsumesTopic } from '@tradecore/eventing/nest';
import { AccountStream } from '../../infrastructure/account-stream';
import { deleteAccounts, restoreAccounts } from '../delete-accounts/delete-accounts.handlers';
import { linkAccounts, unlinkAccounts } from '../link-accounts/link-accounts.handlers';

const TOPIC = 'broker-account.commands';
type Payload<C extends MessageOnTopic<typeof TOPIC>['type']> = PayloadOf<typeof TOPIC, C>;

/** broker-account's part in the sagas: each command in the inbox transaction, answered on saga.replies. */
@ConsumesTopic(TOPIC, { group: 'broker-account.saga-commands', knownTypes: topics[TOPIC].messageTypes })
export class BrokerAccountCommandsConsumer
  extends SagaParticipant<typeof TOPIC>
  implements ParticipantOf<typeof TOPIC>
{
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AccountStream) private readonly accounts: AccountStream,
  ) {
    // Unlinking writes one append, which the decider refuses before making; linking remembers a key
    // first; issuing a key refuses nothing.
    super(store, {
      replyWithTheAppend: ['UnlinkBrokerAccounts'],
      refuseBeforeWriting: ['IssueBrokerAccountDataKey'],
    });
  }

  async LinkBrokerAccounts(
    payload: Payload<'LinkBrokerAccounts'>,
    context: SagaContext<'LinkBrokerAccounts'>,
  ) {
    // Before the append, so the first balances it publishes are already sealed for automation.
    if (typeof payload.automationKey === 'string')
      await this.store.personalData?.rememberRecipientKey(
        payload.userId,
        'automation',
        payload.automationKey,
        context.tx,
      );
    return linkAccounts(this.accounts, payload, context);
  }

  /** broker-connection seals a user's account numbers, names and balances for the key answered here. */
  async IssueBrokerAccountDataKey(payload: Payload<'IssueBrokerAccountDataKey'>, { tx }: SagaContext) {
    return { publicKey: await this.store.personalData!.publicKey(payload.userId, tx) };
  }

  UnlinkBrokerAccounts(
    payload: Payload<'UnlinkBrokerAccounts'>,
    context: SagaContext<'UnlinkBrokerAccounts'>,
  ) {
    return unlinkAccounts(this.accounts, payload, context);
  }

  DeleteBrokerAccounts(payload: Payload<'DeleteBrokerAccounts'>, context: SagaContext) {
    return deleteAccounts(this.accounts, payload, context);
  }

  RestoreBrokerAccounts(payload: Payload<'RestoreBrokerAccounts'>, context: SagaContext) {
    return restoreAccounts(this.accounts, payload, context);
  }
}
