import { Inject } from '@nestjs/common';
import { topics } from '@tradecore/contracts';
import { CommandContext, EventStore, ParticipantOf, PayloadOf, SagaParticipant } from '@tradecore/eventing';
import { ConsumesTopic } from '@tradecore/eventing/nest';
import { CancelOpenOrdersHandler } from '../cancel-open-orders/cancel-open-orders.handler';
import { CancelOrderMessageHandler } from '../cancel-order/cancel-order-message.handler';
import { PlaceOrderMessageHandler } from '../place-order/place-order-message.handler';
import { ProvisionVirtualAccountsHandler } from '../provision-virtual-accounts/provision-virtual-accounts.handler';
import { PurgeVirtualAccountsHandler } from '../purge-virtual-accounts/purge-virtual-accounts.handler';
import { RestoreVirtualAccountsHandler } from '../restore-virtual-accounts/restore-virtual-accounts.handler';
import {
  CancelOrderMessageDto,
  PlaceOrderMessageDto,
  ProvisionVirtualAccountsDto,
  VirtualAccountIdsDto,
} from './virtual-broker-commands.dto';

const TOPIC = 'virtual-broker.commands';
type Payload<C extends keyof ParticipantOf<typeof TOPIC>> = PayloadOf<typeof TOPIC, C>;

/**
 * Every saga command of the virtual broker, answered on saga.replies with its effects, and the
 * orders and cancels other services send, answered by order events.
 */
@ConsumesTopic(TOPIC, { group: 'virtual-broker.saga-commands', knownTypes: topics[TOPIC].messageTypes })
export class VirtualBrokerCommandsConsumer
  extends SagaParticipant<typeof TOPIC>
  implements ParticipantOf<typeof TOPIC>
{
  constructor(
    @Inject(EventStore) store: EventStore,
    @Inject(ProvisionVirtualAccountsHandler) private readonly provision: ProvisionVirtualAccountsHandler,
    @Inject(PurgeVirtualAccountsHandler) private readonly purge: PurgeVirtualAccountsHandler,
    @Inject(RestoreVirtualAccountsHandler) private readonly restore: RestoreVirtualAccountsHandler,
    @Inject(CancelOpenOrdersHandler) private readonly cancelOpenOrders: CancelOpenOrdersHandler,
    @Inject(PlaceOrderMessageHandler) private readonly placeOrder: PlaceOrderMessageHandler,
    @Inject(CancelOrderMessageHandler) private readonly cancelOrder: CancelOrderMessageHandler,
  ) {
    super(store, {
      payloads: {
        ProvisionVirtualAccounts: ProvisionVirtualAccountsDto,
        PurgeVirtualAccounts: VirtualAccountIdsDto,
        RestoreVirtualAccounts: VirtualAccountIdsDto,
        CancelOpenOrders: VirtualAccountIdsDto,
        PlaceOrder: PlaceOrderMessageDto,
        CancelOrder: CancelOrderMessageDto,
      },
      answeredByEvents: ['PlaceOrder', 'CancelOrder'],
    });
  }

  ProvisionVirtualAccounts(payload: Payload<'ProvisionVirtualAccounts'>, { tx }: CommandContext) {
    return this.provision.execute(payload, tx);
  }

  PurgeVirtualAccounts(payload: Payload<'PurgeVirtualAccounts'>, { tx }: CommandContext) {
    return this.purge.execute(payload, tx);
  }

  RestoreVirtualAccounts(payload: Payload<'RestoreVirtualAccounts'>, { tx }: CommandContext) {
    return this.restore.execute(payload, tx);
  }

  CancelOpenOrders(payload: Payload<'CancelOpenOrders'>, { tx }: CommandContext) {
    return this.cancelOpenOrders.execute(payload, tx);
  }

  PlaceOrder(payload: Payload<'PlaceOrder'>, { tx }: CommandContext) {
    return this.placeOrder.execute(payload, tx);
  }

  CancelOrder(payload: Payload<'CancelOrder'>, { tx }: CommandContext) {
    return this.cancelOrder.execute(payload, tx);
  }
}
