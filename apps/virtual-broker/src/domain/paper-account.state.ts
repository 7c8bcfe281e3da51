import type { ClosedOrderStatus } from './order-status';
import { type ClosedOrders, withClosedOrder } from './closed-orders';
import type { OrderSide, OrderType, PaperAccountEvent, TimeInForce } from './paper-account.messages';
import { amountCents } from './money';
import { applyPurchase, applySale, emptyPosition, type Position } from './positions';

export type AccountStatus = 'UNPROVISIONED' | 'ACTIVE' | 'PURGED';

export interface OpenOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPriceCents: number | null;
  readonly reservePriceCents: number | null;
  /** Set on STOP and STOP_LIMIT orders; they fill only once `triggered`. */
  readonly stopPriceCents: number | null;
  readonly triggered: boolean;
  readonly ocoGroupId: string | null;
  readonly timeInForce: TimeInForce;
  readonly status: 'NEW' | 'PARTIALLY_FILLED';
  readonly filledQuantity: number;
  readonly placedAt: string;
}

/** JSON-friendly (records and arrays) so it can be snapshotted as is. */
export interface PaperAccountState {
  readonly status: AccountStatus;
  readonly accountId: string;
  readonly userId: string;
  readonly connectionId: string;
  readonly currency: string;
  readonly startingCashCents: number;
  readonly cashCents: number;
  /** Σ remaining quantity × reserve price over open buy orders. */
  readonly reservedCashCents: number;
  readonly positions: Readonly<Record<string, Position>>;
  /** In placement order, which is the order quotes fill them in. */
  readonly openOrders: readonly OpenOrder[];
  readonly closedOrders: ClosedOrders;
}

export const initialState: PaperAccountState = {
  status: 'UNPROVISIONED',
  accountId: '',
  userId: '',
  connectionId: '',
  currency: '',
  startingCashCents: 0,
  cashCents: 0,
  reservedCashCents: 0,
  positions: {},
  openOrders: [],
  closedOrders: [],
};

export function evolve(state: PaperAccountState, event: PaperAccountEvent): PaperAccountState {
  switch (event.type) {
    case 'PaperAccountProvisioned':
      return {
        ...initialState,
        status: 'ACTIVE',
        accountId: event.accountId,
        userId: event.userId,
        connectionId: event.connectionId,
        currency: event.currency,
        startingCashCents: event.startingCashCents,
        cashCents: event.startingCashCents,
      };
    case 'OrderPlaced':
      return {
        ...state,
        reservedCashCents: state.reservedCashCents + event.reservedCashCents,
        openOrders: [
          ...state.openOrders,
          {
            orderId: event.orderId,
            symbol: event.symbol,
            side: event.side,
            orderType: event.orderType,
            quantity: event.quantity,
            limitPriceCents: event.limitPriceCents,
            reservePriceCents: event.reservePriceCents,
            stopPriceCents: event.stopPriceCents ?? null,
            triggered: false,
            ocoGroupId: event.ocoGroupId ?? null,
            timeInForce: event.timeInForce,
            status: 'NEW',
            filledQuantity: 0,
            placedAt: event.placedAt,
          },
        ],
      };
    case 'OrderTriggered':
      return updateOrder(state, event.orderId, { triggered: true });
    case 'OrderReplaced': {
      const { quantity, limitPriceCents, stopPriceCents, timeInForce, reservePriceCents } = event;
      return {
        ...updateOrder(state, event.orderId, {
          quantity,
          limitPriceCents,
          stopPriceCents,
          timeInForce,
          reservePriceCents,
        }),
        reservedCashCents: state.reservedCashCents + event.reservedCashCents - event.releasedCashCents,
      };
    }
    case 'OrderPartiallyFilled':
    case 'OrderFilled': {
      const traded = amountCents(event.quantity, event.priceCents);
      const position = state.positions[event.symbol] ?? emptyPosition(event.symbol);
      const buying = event.side === 'BUY';
      const withOrder =
        event.type === 'OrderFilled'
          ? closeOrder(state, event.orderId, 'FILLED')
          : updateOrder(state, event.orderId, {
              status: 'PARTIALLY_FILLED',
              filledQuantity: event.filledQuantity,
            });
      return {
        ...withOrder,
        cashCents: state.cashCents + (buying ? -traded : traded),
        reservedCashCents: state.reservedCashCents - event.releasedCashCents,
        positions: {
          ...state.positions,
          [event.symbol]: buying
            ? applyPurchase(position, event.quantity, event.priceCents)
            : applySale(position, event.quantity, event.priceCents, event.realizedPnlCents),
        },
      };
    }
    case 'OrderCancelled':
    case 'OrderExpired':
      return {
        ...closeOrder(state, event.orderId, event.type === 'OrderCancelled' ? 'CANCELLED' : 'EXPIRED'),
        reservedCashCents: state.reservedCashCents - event.releasedCashCents,
      };
    case 'OrderRejected':
      return { ...state, closedOrders: withClosedOrder(state.closedOrders, event.orderId, 'REJECTED') };
    case 'PaperAccountReset':
      return { ...state, cashCents: event.cashCents, reservedCashCents: 0, positions: {}, openOrders: [] };
    case 'PaperAccountPurged':
      return { ...state, status: 'PURGED' };
    case 'PaperAccountRestored':
      return { ...state, status: 'ACTIVE' };
    default: {
      const unhandled: never = event;
      throw new Error(`paper account cannot apply event ${JSON.stringify(unhandled)}`);
    }
  }
}

export function findOpenOrder(state: PaperAccountState, orderId: string): OpenOrder | undefined {
  return state.openOrders.find((order) => order.orderId === orderId);
}

export function remainingQuantity(order: OpenOrder): number {
  return order.quantity - order.filledQuantity;
}

/** What an open buy still holds back; sells hold shares, not cash. */
export function reservedFor(order: OpenOrder): number {
  return order.reservePriceCents === null
    ? 0
    : amountCents(remainingQuantity(order), order.reservePriceCents);
}

export function buyingPowerCents(state: PaperAccountState): number {
  return state.cashCents - state.reservedCashCents;
}

/** Shares not yet promised to an open sell order; one-cancels-other sells promise the same shares, so a group counts once. */
export function sellableQuantity(state: PaperAccountState, symbol: string, ocoGroupId?: string): number {
  const held = state.positions[symbol]?.quantity ?? 0;
  const byGroup = new Map<string, number>();
  for (const order of state.openOrders) {
    if (order.symbol !== symbol || order.side !== 'SELL') continue;
    const group = order.ocoGroupId ?? order.orderId;
    byGroup.set(group, Math.max(byGroup.get(group) ?? 0, remainingQuantity(order)));
  }
  const committed = [...byGroup].reduce(
    (sum, [group, quantity]) => (group === ocoGroupId ? sum : sum + quantity),
    0,
  );
  return held - committed;
}

function updateOrder(
  state: PaperAccountState,
  orderId: string,
  change: Partial<OpenOrder>,
): PaperAccountState {
  return {
    ...state,
    openOrders: state.openOrders.map((order) =>
      order.orderId === orderId ? { ...order, ...change } : order,
    ),
  };
}

function closeOrder(state: PaperAccountState, orderId: string, status: ClosedOrderStatus): PaperAccountState {
  return {
    ...state,
    openOrders: state.openOrders.filter((order) => order.orderId !== orderId),
    closedOrders: withClosedOrder(state.closedOrders, orderId, status),
  };
}
