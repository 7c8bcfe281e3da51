import type { FactoryProvider } from '@nestjs/common';
import { type CommandPath, commandPath, EventStore } from '@tradecore/eventing';
import {
  brokerOrderDecider,
  type BrokerOrderCommand,
  type BrokerOrderEvent,
  type BrokerOrderState,
} from '../domain/broker-order.decider';
import { brokerOrdersProjection } from '../projections/broker-orders.projection';

/**
 * Orders on real broker accounts: every event published on broker-orders.events, the read model
 * projected inline. The stream, a reconciliation and a request may report one order at once, so a
 * lost race is decided again on the fresh state.
 */
export type BrokerOrderStream = CommandPath<BrokerOrderCommand, BrokerOrderEvent, BrokerOrderState>;
export const BrokerOrderStream = Symbol('BrokerOrderStream');

export const brokerOrderStreamProvider: FactoryProvider<BrokerOrderStream> = {
  provide: BrokerOrderStream,
  inject: [EventStore],
  useFactory: (store: EventStore) =>
    commandPath(store, {
      decider: brokerOrderDecider,
      streamType: 'BrokerOrder',
      topic: 'broker-orders.events',
      projectors: [brokerOrdersProjection(store.schema)],
      attemptsOnConflict: 3,
    }),
};
