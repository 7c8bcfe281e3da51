import type { BrokerKind } from '../broker-connection/broker-connection.events';
import { type Decimal, type Message, type Reason, type Timestamp, typeNamesOf } from '../message';
import { type OrderKind, type OrderSide, type TimeInForce } from '../virtual-broker/virtual-broker.events';

/*
 * Every event here is keyed by automationId, so one automation's signals and their outcomes
 * arrive in order. The webhook token is never published: only its owner sees it, once.
 */

export type Sizing =
  | { readonly kind: 'fixed-quantity'; readonly quantity: number }
  | { readonly kind: 'cash'; readonly amount: Decimal }
  | { readonly kind: 'percent-of-equity'; readonly percent: Decimal };

export type OppositeSignal = 'close' | 'reverse';

export interface AutomationSettings {
  readonly name: string;
  /** null: trade whatever symbol the signal names. */
  readonly symbol: string | null;
  readonly sizing: Sizing;
  readonly orderType: OrderKind;
  /** Limit orders: the signal price moved this many percent against the trade (buy higher, sell lower). */
  readonly limitOffsetPercent: Decimal;
  readonly timeInForce: TimeInForce;
  /** The most entries in one direction before the position is flat again (pyramiding); 1 means no pyramiding. */
  readonly maxEntriesPerDirection: number;
  readonly onOppositeSignal: OppositeSignal;
}

export type AutomationRef = { automationId: string; userId: string; accountId: string };

/**
 * v2: automations trade real broker accounts too. `broker` is the account's broker, which decides
 * where its orders go (virtual-broker for `virtual`, broker-connection otherwise); only a paper
 * account has a `virtualAccountId`.
 */
export type AutomationCreated = Message<
  'AutomationCreated',
  AutomationRef & {
    connectionId: string;
    broker: BrokerKind;
    virtualAccountId: string | null;
    settings: AutomationSettings;
    active: boolean;
    createdAt: Timestamp;
  },
  2
>;

/** v1: every automation traded a paper account. */
export type AutomationCreatedV1 = Message<
  'AutomationCreated',
  AutomationRef & {
    connectionId: string;
    virtualAccountId: string;
    settings: AutomationSettings;
    active: boolean;
    createdAt: Timestamp;
  }
>;

export type AutomationUpdated = Message<
  'AutomationUpdated',
  AutomationRef & { settings: AutomationSettings; updatedAt: Timestamp }
>;

/** `reason` absent: the owner paused it; present: the platform did (its account disappeared). */
export type AutomationPaused = Message<
  'AutomationPaused',
  AutomationRef & { reason?: Reason; pausedAt: Timestamp }
>;

export type AutomationResumed = Message<'AutomationResumed', AutomationRef & { resumedAt: Timestamp }>;

export type AutomationDeletionCause = 'user' | 'broker-disconnection' | 'user-deletion';

/** `deletionId`: the saga deletion that deleted it (a disconnection's id, a user deletion's saga id); absent when its owner did. */
export type AutomationDeleted = Message<
  'AutomationDeleted',
  AutomationRef & { cause: AutomationDeletionCause; deletionId?: string; deletedAt: Timestamp }
>;

/** A saga's deletion was compensated: the automation is back as it was. */
export type AutomationRestored = Message<
  'AutomationRestored',
  AutomationRef & { active: boolean; restoredAt: Timestamp }
>;

/** How far from the entry's average fill price an exit sits: a percent of it, or an amount per share. */
export type ExitTarget = { readonly percent: Decimal } | { readonly amount: Decimal };

/** What an alerting tool sent, in the vocabulary of signal-routing services (TradersPost). */
export interface WebhookSignal {
  readonly ticker: string;
  readonly action: 'buy' | 'sell' | 'exit' | 'add' | 'cancel';
  readonly sentiment?: 'long' | 'short' | 'flat';
  readonly quantity?: number;
  readonly price?: Decimal;
  /** Placed once the entry order has filled: a limit order this far in the trade's favour … */
  readonly takeProfit?: ExitTarget;
  /** … and a stop order this far against it, one-cancels-other with the take-profit. */
  readonly stopLoss?: ExitTarget;
  /** The sender's own id; a second signal with it is not acted on. */
  readonly signalId?: string;
  readonly time?: string;
  /** Fields the platform does not know, kept for debugging. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export type SignalReceived = Message<
  'SignalReceived',
  { signalId: string; automationId: string; userId: string; signal: WebhookSignal; receivedAt: Timestamp }
>;

/** The automation decided to trade: the order command is on its way to the broker service. */
export type SignalAccepted = Message<
  'SignalAccepted',
  {
    signalId: string;
    automationId: string;
    orderId: string;
    symbol: string;
    side: OrderSide;
    kind: OrderKind;
    quantity: Decimal;
    limitPrice?: Decimal;
    timeInForce: TimeInForce;
    decidedAt: Timestamp;
  }
>;

/**
 * A `cancel` signal: the automation asked the broker to cancel its open orders of `symbol`. Each
 * order's end is recorded on the signal that placed it (SignalOrderClosed, or its fill if first).
 */
export type SignalCancelSent = Message<
  'SignalCancelSent',
  {
    signalId: string;
    automationId: string;
    symbol: string;
    orderIds: readonly string[];
    decidedAt: Timestamp;
  }
>;

/**
 * The entry of `signalId` filled completely: its take-profit (a limit order) and stop-loss (a stop
 * order) are on their way to the broker for the filled quantity, one-cancels-other.
 */
export type SignalExitsPlaced = Message<
  'SignalExitsPlaced',
  {
    signalId: string;
    automationId: string;
    symbol: string;
    side: OrderSide;
    quantity: Decimal;
    ocoGroupId: string;
    takeProfit?: { orderId: string; limitPrice: Decimal };
    stopLoss?: { orderId: string; stopPrice: Decimal };
    decidedAt: Timestamp;
  }
>;

export type ExitOrderStatus = 'PLACED' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'REJECTED';

/** What became of a take-profit or stop-loss order; `quantity` and `price` of a fill, `reason` of a refusal. */
export type SignalExitUpdated = Message<
  'SignalExitUpdated',
  {
    signalId: string;
    automationId: string;
    orderId: string;
    status: ExitOrderStatus;
    quantity?: Decimal;
    price?: Decimal;
    reason?: Reason;
    at: Timestamp;
  }
>;

/** Refused by a rule of the automation, or (with `orderId`) by the broker. */
export type SignalRejected = Message<
  'SignalRejected',
  { signalId: string; automationId: string; orderId?: string; reason: Reason; rejectedAt: Timestamp }
>;

export type SignalOrderPlaced = Message<
  'SignalOrderPlaced',
  { signalId: string; automationId: string; orderId: string; placedAt: Timestamp }
>;

export type SignalOrderFilled = Message<
  'SignalOrderFilled',
  {
    signalId: string;
    automationId: string;
    orderId: string;
    symbol: string;
    side: OrderSide;
    /** Shares in this fill, at `price`. */
    quantity: Decimal;
    price: Decimal;
    filledQuantity: Decimal;
    remainingQuantity: Decimal;
    filledAt: Timestamp;
  }
>;

/** The order ended without filling completely (cancelled or expired). */
export type SignalOrderClosed = Message<
  'SignalOrderClosed',
  {
    signalId: string;
    automationId: string;
    orderId: string;
    status: 'CANCELLED' | 'EXPIRED';
    closedAt: Timestamp;
  }
>;

export type AutomationEvent =
  | AutomationCreated
  | AutomationUpdated
  | AutomationPaused
  | AutomationResumed
  | AutomationDeleted
  | AutomationRestored
  | SignalReceived
  | SignalAccepted
  | SignalCancelSent
  | SignalRejected
  | SignalOrderPlaced
  | SignalOrderFilled
  | SignalOrderClosed
  | SignalExitsPlaced
  | SignalExitUpdated;

export const automationEventTypes = typeNamesOf<AutomationEvent>({
  AutomationCreated: true,
  AutomationUpdated: true,
  AutomationPaused: true,
  AutomationResumed: true,
  AutomationDeleted: true,
  AutomationRestored: true,
  SignalReceived: true,
  SignalAccepted: true,
  SignalCancelSent: true,
  SignalRejected: true,
  SignalOrderPlaced: true,
  SignalOrderFilled: true,
  SignalOrderClosed: true,
  SignalExitsPlaced: true,
  SignalExitUpdated: true,
});
