import type {
  BrokerOrderAccepted,
  BrokerOrderCancelled,
  BrokerOrderExpired,
  BrokerOrderFilled,
  BrokerOrderPartiallyFilled,
  BrokerOrderPlaced,
  BrokerOrderRef,
  BrokerOrderRejected,
  BrokerOrderReplaced,
  BrokerOrderTerms,
  BrokerOrderTimeInForce,
  Reason,
  RealBroker,
} from '@tradecore/contracts';

type Flat<M extends { type: string; payload: object }> = { readonly type: M['type'] } & M['payload'];

/** The paper broker's statuses, so an order reads the same whatever its account. */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELLED' | 'REJECTED' | 'EXPIRED';

/** What the broker says of one of its orders now (a REST answer, a stream update or a reconciliation). */
export interface BrokerOrderSnapshot {
  readonly brokerOrderId: string;
  readonly clientOrderId: string;
  /** The broker order this one replaced, when it is a replacement. */
  readonly replacesBrokerOrderId: string | null;
  readonly status: OrderStatus | 'REPLACED';
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly averageFillPrice: string | null;
  readonly limitPrice: string | null;
  readonly stopPrice: string | null;
  readonly timeInForce: BrokerOrderTimeInForce;
  readonly submittedAt: string;
  readonly updatedAt: string;
}

/** The execution a stream update reports alongside the snapshot. */
export interface BrokerExecution {
  readonly quantity: number;
  readonly price: string;
  readonly positionQuantity: number;
}

export type BrokerOrderEvent =
  | Flat<BrokerOrderPlaced>
  | Flat<BrokerOrderAccepted>
  | Flat<BrokerOrderPartiallyFilled>
  | Flat<BrokerOrderFilled>
  | Flat<BrokerOrderCancelled>
  | Flat<BrokerOrderExpired>
  | Flat<BrokerOrderRejected>
  | Flat<BrokerOrderReplaced>;

/** Written before the order goes to the broker, so an update that outruns the broker's answer finds it. */
export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly broker: RealBroker;
  readonly ref: BrokerOrderRef;
  readonly terms: BrokerOrderTerms;
  readonly at: string;
}

/** The broker refused the order it was sent. */
export interface RecordRefusal {
  readonly type: 'RecordRefusal';
  readonly reason: Reason;
  readonly at: string;
}

/** Idempotent: the same snapshot applied twice (stream, then reconciliation) decides nothing the second time. */
export interface ApplyBrokerUpdate {
  readonly type: 'ApplyBrokerUpdate';
  readonly snapshot: BrokerOrderSnapshot;
  readonly execution?: BrokerExecution;
  readonly at: string;
}

export type BrokerOrderCommand = PlaceOrder | RecordRefusal | ApplyBrokerUpdate;

export type BrokerOrderState =
  | { readonly status: 'ABSENT' }
  | (BrokerOrderRef &
      BrokerOrderTerms & {
        readonly status: OrderStatus;
        readonly brokerOrderId: string | null;
        readonly filledQuantity: number;
        readonly averageFillPrice: string | null;
      });

export type PresentOrder = Exclude<BrokerOrderState, { status: 'ABSENT' }>;
