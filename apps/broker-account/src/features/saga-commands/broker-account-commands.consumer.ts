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
    @Inject(EventStore) store: EventStore,
    @Inject(AccountStream) private readonly accounts: AccountStream,
  ) {
    // Linking and unlinking write one append each, which the decider refuses before making.
    super(store, { replyWithTheAppend: ['LinkBrokerAccounts', 'UnlinkBrokerAccounts'] });
  }

  LinkBrokerAccounts(payload: Payload<'LinkBrokerAccounts'>, context: SagaContext<'LinkBrokerAccounts'>) {
    return linkAccounts(this.accounts, payload, context);
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
