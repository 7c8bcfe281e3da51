import { amountCents, divideRounded, formatCentsRatio, multiplyDivideRounded } from './money';

/**
 * A holding kept as total cost basis rather than an average price: the average (cost / quantity)
 * is rarely a whole cent, while the cost basis always is, so selling everything realizes exactly
 * proceeds minus cost.
 */
export interface Position {
  readonly symbol: string;
  readonly quantity: number;
  readonly costBasisCents: number;
  readonly realizedPnlCents: number;
}

export interface Mark {
  readonly bidCents: number;
  readonly askCents: number;
}

export interface PositionValuation {
  readonly symbol: string;
  readonly quantity: number;
  readonly averagePrice: string;
  readonly costBasisCents: number;
  /** Mid price, which may be half a cent. */
  readonly markPrice: string;
  readonly marketValueCents: number;
  readonly unrealizedPnlCents: number;
  readonly realizedPnlCents: number;
}

export interface PortfolioValuation {
  readonly positions: readonly PositionValuation[];
  /** Held symbols with no mark; they count at cost in the totals. */
  readonly unpricedSymbols: readonly string[];
  readonly marketValueCents: number;
  readonly unrealizedPnlCents: number;
  readonly realizedPnlCents: number;
}

export function emptyPosition(symbol: string): Position {
  return { symbol, quantity: 0, costBasisCents: 0, realizedPnlCents: 0 };
}

export function applyPurchase(position: Position, quantity: number, priceCents: number): Position {
  return {
    ...position,
    quantity: position.quantity + quantity,
    costBasisCents: position.costBasisCents + amountCents(quantity, priceCents),
  };
}

/** Cost basis leaving with a sale: pro rata, rounded to the cent; a closing sale takes exactly all of it. */
export function costBasisSold(position: Position, quantity: number): number {
  return multiplyDivideRounded(position.costBasisCents, quantity, position.quantity);
}

/** (sell price − average price) × quantity, with the average's fraction of a cent settled by costBasisSold. */
export function realizedPnlOfSale(position: Position, quantity: number, priceCents: number): number {
  return amountCents(quantity, priceCents) - costBasisSold(position, quantity);
}

export function applySale(
  position: Position,
  quantity: number,
  priceCents: number,
  realizedPnlCents: number,
): Position {
  return {
    ...position,
    quantity: position.quantity - quantity,
    costBasisCents: position.costBasisCents - (amountCents(quantity, priceCents) - realizedPnlCents),
    realizedPnlCents: position.realizedPnlCents + realizedPnlCents,
  };
}

/** Weighted average purchase price of the shares still held, e.g. "100.3333"; "0.0000" when flat. */
export function averagePrice(position: Position, decimals = 4): string {
  if (position.quantity === 0) return formatCentsRatio(0, 1, decimals);
  return formatCentsRatio(position.costBasisCents, position.quantity, decimals);
}

/** Marks every open position at the mid of its quote. */
export function valuePortfolio(
  positions: Readonly<Record<string, Position>>,
  marks: Readonly<Record<string, Mark>>,
): PortfolioValuation {
  const valued: PositionValuation[] = [];
  const unpricedSymbols: string[] = [];
  let marketValueCents = 0;
  let unrealizedPnlCents = 0;
  let realizedPnlCents = 0;
  for (const position of Object.values(positions).sort((a, b) => a.symbol.localeCompare(b.symbol))) {
    realizedPnlCents += position.realizedPnlCents;
    if (position.quantity === 0) continue;
    const mark = marks[position.symbol];
    if (!mark) {
      unpricedSymbols.push(position.symbol);
      marketValueCents += position.costBasisCents;
      continue;
    }
    const valuation = valuePosition(position, mark);
    valued.push(valuation);
    marketValueCents += valuation.marketValueCents;
    unrealizedPnlCents += valuation.unrealizedPnlCents;
  }
  return { positions: valued, unpricedSymbols, marketValueCents, unrealizedPnlCents, realizedPnlCents };
}

export function valuePosition(position: Position, mark: Mark): PositionValuation {
  const twiceMid = mark.bidCents + mark.askCents;
  const marketValueCents = divideRounded(amountCents(position.quantity, twiceMid), 2);
  return {
    symbol: position.symbol,
    quantity: position.quantity,
    averagePrice: averagePrice(position),
    costBasisCents: position.costBasisCents,
    markPrice: formatCentsRatio(twiceMid, 2, 3),
    marketValueCents,
    unrealizedPnlCents: marketValueCents - position.costBasisCents,
    realizedPnlCents: position.realizedPnlCents,
  };
}
