import { commandKeyFieldsOf, type Message, typeNamesOf } from '../message';
import type { Decimal } from '../message';
import type { BrokerOrderSide, BrokerOrderTerms, BrokerOrderTimeInForce } from './broker-orders.events';

/*
 * Orders on a real broker account sent by another service on the owner's behalf (an automation),
 * carried on broker-connection.commands beside its saga commands and keyed by accountId, so one
 * account's orders and cancels are handled in the order they were sent. They are not saga steps:
 * each is answered by the order's events on broker-orders.events with this `orderId`. The sender
 * chooses the id, so a redelivered command never places the order twice.
 */

/**
 * Places an order as `POST /accounts/{accountId}/orders` would for `userId`, who must own the
 * account. Every refusal, also one before the order reaches the broker (an account that is not
 * connected: ACCOUNT_NOT_FOUND), is answered by BrokerOrderRejected with the paper broker's code.
 */
export type PlaceBrokerOrder = Message<
  'PlaceBrokerOrder',
  BrokerOrderTerms & { orderId: string; accountId: string; userId: string }
>;

/**
 * Cancels an order placed by PlaceBrokerOrder; answered by BrokerOrderCancelled once the broker
 * has cancelled it. An order already closed has published its end, so nothing more is answered.
 */
export type CancelBrokerOrder = Message<
  'CancelBrokerOrder',
  { orderId: string; accountId: string; userId: string }
>;

/**
 * Places the take-profit (a limit) and the stop-loss (a stop) that exit a filled entry as one
 * one-cancels-other group at the broker (Alpaca `order_class: oco`, a TradeStation `OCO` order
 * group), so when one fills the broker itself cancels the other and the shares are never sold
 * twice. Each leg is answered like a PlaceBrokerOrder by its own events under its `orderId`; a
 * group with one leg is placed as a plain order. A refusal of the group rejects both legs.
 * `groupId` is the sender's name for the pair (the automation's ocoGroupId); the broker names its own.
 */
export type PlaceBrokerExitOrders = Message<
  'PlaceBrokerExitOrders',
  {
    groupId: string;
    accountId: string;
    userId: string;
    symbol: string;
    side: BrokerOrderSide;
    quantity: number;
    timeInForce: BrokerOrderTimeInForce;
    takeProfit: { orderId: string; limitPrice: Decimal } | null;
    stopLoss: { orderId: string; stopPrice: Decimal } | null;
  }
>;

export type BrokerOrderCommandMessage = PlaceBrokerOrder | CancelBrokerOrder | PlaceBrokerExitOrders;

export const brokerOrderCommandKeyFields = commandKeyFieldsOf<BrokerOrderCommandMessage>({
  PlaceBrokerOrder: 'accountId',
  CancelBrokerOrder: 'accountId',
  PlaceBrokerExitOrders: 'accountId',
});

export const brokerOrderCommandTypes = typeNamesOf<BrokerOrderCommandMessage>(brokerOrderCommandKeyFields);
