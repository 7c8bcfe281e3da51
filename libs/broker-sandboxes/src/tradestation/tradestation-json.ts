import type { TsBalanceJson, TsOrderJson, TsOrderRequestJson, TsPositionJson } from './tradestation-wire';

// The JSON the TradeStation sandbox answers with, built from its book's state.

const money = (cents: number) => (cents / 100).toFixed(2);
const cents = (price: string) => Math.round(Number(price) * 100);

/** A just-placed order: `ACK` (Received), nothing executed. */
export function newOrderJson(accountId: string, orderId: string, request: TsOrderRequestJson): TsOrderJson {
  const at = new Date().toISOString();
  return {
    AccountID: accountId,
    OrderID: orderId,
    Status: 'ACK',
    StatusDescription: 'Received',
    OrderType: request.OrderType,
    Duration: request.TimeInForce.Duration,
    OpenedDateTime: at,
    FilledPrice: '0',
    ...(request.LimitPrice !== undefined && { LimitPrice: money(cents(request.LimitPrice)) }),
    ...(request.StopPrice !== undefined && { StopPrice: money(cents(request.StopPrice)) }),
    Legs: [
      {
        AssetType: 'STOCK',
        BuyOrSell: request.TradeAction === 'BUY' ? 'Buy' : 'Sell',
        ExecQuantity: '0',
        OpenOrClose: request.TradeAction === 'BUY' ? 'Open' : 'Close',
        QuantityOrdered: request.Quantity,
        QuantityRemaining: request.Quantity,
        Symbol: request.Symbol,
      },
    ],
    LastUpdatedDateTime: at,
  };
}

/** One long position, marked at the bid. */
export const positionJson = (
  accountId: string,
  symbol: string,
  held: { readonly qty: number; readonly costCents: number },
  markCents: number,
): TsPositionJson => ({
  AccountID: accountId,
  AssetType: 'STOCK',
  AveragePrice: money(Math.round(held.costCents / held.qty)),
  Last: money(markCents),
  LongShort: 'Long',
  MarketValue: money(markCents * held.qty),
  PositionID: `${accountId}-${symbol}`,
  Quantity: String(held.qty),
  Symbol: symbol,
  Timestamp: new Date().toISOString(),
  TotalCost: money(held.costCents),
  UnrealizedProfitLoss: money(markCents * held.qty - held.costCents),
});

export const balanceJson = (
  accountId: string,
  accountType: string,
  cashCents: number,
  buyingPowerCents: number,
  marketCents: number,
): TsBalanceJson => ({
  AccountID: accountId,
  AccountType: accountType,
  CashBalance: money(cashCents),
  BuyingPower: money(buyingPowerCents),
  Equity: money(cashCents + marketCents),
  MarketValue: money(marketCents),
  TodaysProfitLoss: '0.00',
});
