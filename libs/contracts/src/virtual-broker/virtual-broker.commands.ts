import { commandKeyFieldsOf, type Decimal, type Message, typeNamesOf } from '../message';
import {
  type OrderKind,
  type OrderSide,
  type TimeInForce,
  type VirtualAccount,
} from './virtual-broker.events';

/**
 * BrokerConnection step. The saga chooses the account ids, so a redelivered or retried command
 * provisions nothing twice; the same ids with different terms fail with ACCOUNT_ALREADY_PROVISIONED.
 * Replies with an empty result.
 */
export type ProvisionVirtualAccounts = Message<
  'ProvisionVirtualAccounts',
  { connectionId: string; userId: string; accounts: readonly VirtualAccount[] }
>;

/**
 * Compensates ProvisionVirtualAccounts and is a BrokerDisconnection step. Cancels what is still
 * open, then freezes the accounts; ids never provisioned count as already purged. Empty result.
 */
export type PurgeVirtualAccounts = Message<
  'PurgeVirtualAccounts',
  { connectionId: string; virtualAccountIds: readonly string[] }
>;

/** Compensates PurgeVirtualAccounts: cash and positions come back; cancelled orders stay cancelled. Empty result. */
export type RestoreVirtualAccounts = Message<
  'RestoreVirtualAccounts',
  { connectionId: string; virtualAccountIds: readonly string[] }
>;

/** Not compensable: a cancelled order stays cancelled, which is why it runs only once the purge has begun. */
export type CancelOpenOrders = Message<
  'CancelOpenOrders',
  { connectionId: string; virtualAccountIds: readonly string[] }
>;

export interface CancelOpenOrdersResult {
  readonly cancelledOrderIds: readonly string[];
}

export type VirtualBrokerCommand =
  ProvisionVirtualAccounts | PurgeVirtualAccounts | RestoreVirtualAccounts | CancelOpenOrders;

export const virtualBrokerCommandKeyFields = commandKeyFieldsOf<VirtualBrokerCommand>({
  ProvisionVirtualAccounts: 'connectionId',
  PurgeVirtualAccounts: 'connectionId',
  RestoreVirtualAccounts: 'connectionId',
  CancelOpenOrders: 'connectionId',
});

export const virtualBrokerCommandTypes = typeNamesOf<VirtualBrokerCommand>(virtualBrokerCommandKeyFields);

/**
 * An order sent by another service on the owner's behalf (an automation), not a saga step: it is
 * answered by the order events on virtual-broker.events (OrderPlaced, OrderFilled, OrderRejected …)
 * with this `orderId`, keyed by virtualAccountId. The sender chooses the id, so a redelivered
 * command never places the order twice. `userId` must own the account.
 */
export type PlaceOrder = Message<
  'PlaceOrder',
  {
    orderId: string;
    virtualAccountId: string;
    userId: string;
    symbol: string;
    side: OrderSide;
    kind: OrderKind;
    quantity: Decimal;
    /** limit and stop_limit orders. */
    limitPrice?: Decimal;
    /** stop and stop_limit orders: a buy triggers once the ask reaches it, a sell once the bid falls to it. */
    stopPrice?: Decimal;
    /** Orders sharing it are one-cancels-other: the first fill cancels the rest, and sells hold their shares once (a take-profit and a stop-loss). */
    ocoGroupId?: string;
    timeInForce: TimeInForce;
  }
>;

/**
 * Cancels an order placed by PlaceOrder, on the owner's behalf; answered by OrderCancelled. An
 * order already filled, cancelled or expired has published its end, so nothing more is answered.
 */
export type CancelOrder = Message<
  'CancelOrder',
  { orderId: string; virtualAccountId: string; userId: string }
>;

export type VirtualBrokerOrderCommand = PlaceOrder | CancelOrder;

export const virtualBrokerOrderCommandKeyFields = commandKeyFieldsOf<VirtualBrokerOrderCommand>({
  PlaceOrder: 'virtualAccountId',
  CancelOrder: 'virtualAccountId',
});

export const virtualBrokerOrderCommandTypes = typeNamesOf<VirtualBrokerOrderCommand>(
  virtualBrokerOrderCommandKeyFields,
);
