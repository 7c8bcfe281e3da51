import { Inject, Injectable } from '@nestjs/common';
import {
  CommandResult,
  EventStore,
  handleCommand,
  InlineProjector,
  loadStream,
  LoadedStream,
  VersionConflictError,
} from '@tradecore/eventing';
import {
  brokerOrderDecider,
  BrokerOrderCommand,
  BrokerOrderEvent,
  BrokerOrderState,
} from '../domain/broker-order.decider';
import { brokerOrdersProjection } from '../projections/broker-orders.projection';

const CONFLICT_RETRIES = 3;

/** The one write path for orders on real broker accounts; every event is published on broker-orders.events. */
@Injectable()
export class BrokerOrderStream {
  private readonly projectOrders: InlineProjector;

  constructor(@Inject(EventStore) private readonly store: EventStore) {
    this.projectOrders = brokerOrdersProjection(store.schema);
  }

  load(orderId: string): Promise<LoadedStream<BrokerOrderState>> {
    return loadStream(this.store, brokerOrderDecider, orderId);
  }

  /** The stream, a reconciliation and a request may report the same order at once: decided again on a conflict. */
  async execute(
    orderId: string,
    command: BrokerOrderCommand,
  ): Promise<CommandResult<BrokerOrderEvent, BrokerOrderState>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await handleCommand({
          store: this.store,
          decider: brokerOrderDecider,
          streamId: orderId,
          streamType: 'BrokerOrder',
          command,
          topic: 'broker-orders.events',
          inlineProjectors: [this.projectOrders],
        });
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }
}
