import { Inject } from '@nestjs/common';
import { topics } from '@tradecore/contracts';
import {
  CommandContext,
  EventStore,
  ParticipantOf,
  PayloadOf,
  SagaContext,
  SagaParticipant,
} from '@tradecore/eventing';
import { ConsumesTopic } from '@tradecore/eventing/nest';
import { BrokerAdapterError } from '../../infrastructure/adapters/broker-adapter';
import { BrokerOrderMessagesHandler } from '../broker-order-messages/broker-order-messages.handler';
import {
  CloseUserConnectionsHandler,
  ReopenUserConnectionsHandler,
} from '../close-user-connections/close-user-connections.handlers';
import { MarkConnectedHandler, MarkFailedHandler } from '../complete-connection/complete-connection.handler';
import {
  BeginPurgeHandler,
  PurgeConnectionHandler,
  RestoreConnectionHandler,
} from '../purge-connection/purge-connection.handlers';
import { VerifyCredentialsHandler } from '../verify-credentials/verify-credentials.handler';

const TOPIC = 'broker-connection.commands';
type Payload<C extends keyof ParticipantOf<typeof TOPIC>> = PayloadOf<typeof TOPIC, C>;

/** In this service a broker's refusal (bad credentials, timeout) is an answer too, not a crash to retry. */
const isBrokerRefusal = (error: unknown): error is BrokerAdapterError => error instanceof BrokerAdapterError;

/**
 * broker-connection's part in the sagas, each command in the inbox transaction and answered on
 * saga.replies; and the orders other services send on an owner's behalf, answered by order events.
 */
@ConsumesTopic(TOPIC, { group: 'broker-connection.saga-commands', knownTypes: topics[TOPIC].messageTypes })
export class BrokerConnectionCommandsConsumer
  extends SagaParticipant<typeof TOPIC>
  implements ParticipantOf<typeof TOPIC>
{
  constructor(
    @Inject(EventStore) store: EventStore,
    @Inject(VerifyCredentialsHandler) private readonly verify: VerifyCredentialsHandler,
    @Inject(MarkConnectedHandler) private readonly markConnected: MarkConnectedHandler,
    @Inject(MarkFailedHandler) private readonly markFailed: MarkFailedHandler,
    @Inject(CloseUserConnectionsHandler) private readonly closeUser: CloseUserConnectionsHandler,
    @Inject(ReopenUserConnectionsHandler) private readonly reopenUser: ReopenUserConnectionsHandler,
    @Inject(BeginPurgeHandler) private readonly beginPurge: BeginPurgeHandler,
    @Inject(RestoreConnectionHandler) private readonly restore: RestoreConnectionHandler,
    @Inject(PurgeConnectionHandler) private readonly purge: PurgeConnectionHandler,
    @Inject(BrokerOrderMessagesHandler) private readonly orders: BrokerOrderMessagesHandler,
  ) {
    super(store, {
      isRefusal: isBrokerRefusal,
      replyWithTheAppend: ['VerifyBrokerCredentials', 'MarkConnectionConnected', 'MarkConnectionFailed'],
      answeredByEvents: ['PlaceBrokerOrder', 'CancelBrokerOrder', 'PlaceBrokerExitOrders'],
    });
  }

  VerifyBrokerCredentials(
    payload: Payload<'VerifyBrokerCredentials'>,
    context: SagaContext<'VerifyBrokerCredentials'>,
  ) {
    return this.verify.execute(payload, context);
  }

  MarkConnectionConnected(
    payload: Payload<'MarkConnectionConnected'>,
    context: SagaContext<'MarkConnectionConnected'>,
  ) {
    return this.markConnected.execute(payload, context);
  }

  MarkConnectionFailed(
    payload: Payload<'MarkConnectionFailed'>,
    context: SagaContext<'MarkConnectionFailed'>,
  ) {
    return this.markFailed.execute(payload, context);
  }

  CloseUserConnections(payload: Payload<'CloseUserConnections'>, context: CommandContext) {
    return this.closeUser.execute(payload, context);
  }

  ReopenUserConnections(payload: Payload<'ReopenUserConnections'>, context: CommandContext) {
    return this.reopenUser.execute(payload, context);
  }

  BeginConnectionPurge(payload: Payload<'BeginConnectionPurge'>, context: CommandContext) {
    return this.beginPurge.execute(payload, context);
  }

  RestoreConnection(payload: Payload<'RestoreConnection'>, context: CommandContext) {
    return this.restore.execute(payload, context);
  }

  PurgeConnection(payload: Payload<'PurgeConnection'>, context: CommandContext) {
    return this.purge.execute(payload, context);
  }

  PlaceBrokerOrder(payload: Payload<'PlaceBrokerOrder'>, { tx }: CommandContext) {
    return this.orders.place(payload, tx);
  }

  PlaceBrokerExitOrders(payload: Payload<'PlaceBrokerExitOrders'>, { tx }: CommandContext) {
    return this.orders.placeExits(payload, tx);
  }

  CancelBrokerOrder(payload: Payload<'CancelBrokerOrder'>) {
    return this.orders.cancel(payload);
  }
}
