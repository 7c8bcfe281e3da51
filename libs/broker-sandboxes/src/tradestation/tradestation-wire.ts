/*
 * TradeStation Brokerage and Order Execution v3 shapes, the fields the sandbox serves and the
 * adapter reads: https://api.tradestation.com/docs/specification (Brokerage: GetOrders,
 * GetPositions, StreamOrders; Order Execution: PlaceOrder, ConfirmOrder, ReplaceOrder, CancelOrder)
 * and https://api.tradestation.com/docs/fundamentals/http-streaming/ for the stream frames.
 */

/** Order status codes; OPN/ACK/DON working, FLP partially filled, FLL filled, CAN/EXP/REJ/OUT closed. */
export type TsOrderStatus = 'ACK' | 'DON' | 'OPN' | 'FLP' | 'FLL' | 'CAN' | 'EXP' | 'REJ' | 'OUT' | 'UCN';
export type TsOrderType = 'Market' | 'Limit' | 'StopMarket' | 'StopLimit';
export type TsTradeAction = 'BUY' | 'SELL';
export type TsDuration = 'DAY' | 'GTC';

export interface TsOrderLegJson {
  readonly AssetType: 'STOCK';
  readonly BuyOrSell: 'Buy' | 'Sell';
  readonly ExecQuantity: string;
  readonly ExecutionPrice?: string;
  readonly OpenOrClose: 'Open' | 'Close';
  readonly QuantityOrdered: string;
  readonly QuantityRemaining: string;
  readonly Symbol: string;
}

export interface TsOrderJson {
  readonly AccountID: string;
  readonly OrderID: string;
  readonly Status: TsOrderStatus;
  readonly StatusDescription: string;
  readonly OrderType: TsOrderType;
  readonly Duration: TsDuration;
  readonly OpenedDateTime: string;
  readonly ClosedDateTime?: string;
  /** Average price of the executions so far; "0" before the first. */
  readonly FilledPrice: string;
  readonly LimitPrice?: string;
  readonly StopPrice?: string;
  readonly PriceUsedForBuyingPower?: string;
  readonly RejectReason?: string;
  readonly Legs: readonly TsOrderLegJson[];
  /** The other orders of its group: an OCO sibling is cancelled once this one executes. */
  readonly ConditionalOrders?: readonly { readonly OrderID: string; readonly Relationship: 'OCO' }[];
  /** Not in TradeStation's order: the sandbox's own, to page and reconcile by last change. */
  readonly LastUpdatedDateTime?: string;
}

export interface TsPositionJson {
  readonly AccountID: string;
  readonly AssetType: 'STOCK';
  readonly AveragePrice: string;
  readonly Last: string;
  readonly LongShort: 'Long' | 'Short';
  readonly MarketValue: string;
  readonly PositionID: string;
  readonly Quantity: string;
  readonly Symbol: string;
  readonly Timestamp: string;
  readonly TotalCost: string;
  readonly UnrealizedProfitLoss: string;
}

export interface TsBalanceJson {
  readonly AccountID: string;
  readonly AccountType: string;
  readonly CashBalance: string;
  readonly BuyingPower: string;
  readonly Equity: string;
  readonly MarketValue: string;
  readonly TodaysProfitLoss: string;
}

/** The order request body: prices and quantity are strings in the documented examples. */
export interface TsOrderRequestJson {
  readonly AccountID: string;
  readonly Symbol: string;
  readonly Quantity: string;
  readonly OrderType: TsOrderType;
  readonly TradeAction: TsTradeAction;
  readonly TimeInForce: { readonly Duration: TsDuration };
  readonly LimitPrice?: string;
  readonly StopPrice?: string;
  readonly Route: 'Intelligent';
  /** Up to 22 characters, unique per API key and user: a second order with it is refused. */
  readonly OrderConfirmID?: string;
}

/** PlaceOrder/ReplaceOrder/CancelOrder answers: a success per order, or an error per order. */
export interface TsOrderAnswerJson {
  readonly Orders?: readonly { readonly OrderID: string; readonly Message: string }[];
  readonly Errors?: readonly {
    readonly OrderID?: string;
    readonly Error: string;
    readonly Message: string;
  }[];
}
