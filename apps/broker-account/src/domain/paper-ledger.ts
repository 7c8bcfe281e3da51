import type { OrderSide, VirtualBrokerEvent } from '@tradecore/contracts';
import { multiplyDivideRounded, parseCents } from './cents';

// A paper account's money as the virtual broker's events tell it: cash and reservations move
// only by the amounts the events carry, so the sums agree with the paper broker to the cent.

export interface PaperPosition {
  readonly quantity: number;
  readonly costBasisCents: number;
  readonly realizedPnlCents: number;
  /** Bid + ask of the latest mark (twice the mid, so a half-cent mid stays exact); twice the last fill price until a mark comes. */
  readonly twiceMarkCents: number;
}

export interface PaperLedger {
  /** Starting cash, or the cash of the last reset; null while the provisioning is not yet seen. */
  readonly baseCashCents: number | null;
  /** What fills moved since then: sales in, purchases out. */
  readonly cashMovesCents: number;
  readonly reservedCents: number;
  readonly realizedPnlCents: number;
  /** Purged on the virtual broker (a disconnection under way), restorable. */
  readonly frozen: boolean;
  readonly positions: Readonly<Record<string, PaperPosition>>;
}

export type LedgerChange =
  | { readonly type: 'Provisioned'; readonly startingCashCents: number }
  | { readonly type: 'Reset'; readonly cashCents: number }
  | { readonly type: 'Reserved'; readonly cents: number }
  | { readonly type: 'Released'; readonly cents: number }
  | {
      readonly type: 'Filled';
      readonly symbol: string;
      readonly side: OrderSide;
      readonly quantity: number;
      readonly priceCents: number;
      readonly realizedPnlCents: number;
      readonly releasedCents: number;
    }
  | { readonly type: 'Frozen'; readonly frozen: boolean }
  | { readonly type: 'Marked'; readonly twiceMarkCents: Readonly<Record<string, number>> };

export interface PaperBalance {
  readonly cashCents: number;
  readonly buyingPowerCents: number;
  readonly marketValueCents: number;
  readonly unrealizedPnlCents: number;
  readonly equityCents: number;
}

export const emptyLedger: PaperLedger = {
  baseCashCents: null,
  cashMovesCents: 0,
  reservedCents: 0,
  realizedPnlCents: 0,
  frozen: false,
  positions: {},
};

const withPosition = (ledger: PaperLedger, symbol: string, position: PaperPosition): PaperLedger => ({
  ...ledger,
  positions: { ...ledger.positions, [symbol]: position },
});

function applyFill(ledger: PaperLedger, fill: Extract<LedgerChange, { type: 'Filled' }>): PaperLedger {
  const amount = fill.quantity * fill.priceCents;
  const held = ledger.positions[fill.symbol] ?? {
    quantity: 0,
    costBasisCents: 0,
    realizedPnlCents: 0,
    twiceMarkCents: 0,
  };
  const twiceMarkCents = held.quantity === 0 ? 2 * fill.priceCents : held.twiceMarkCents;
  if (fill.side === 'buy')
    return withPosition(
      {
        ...ledger,
        cashMovesCents: ledger.cashMovesCents - amount,
        reservedCents: ledger.reservedCents - fill.releasedCents,
      },
      fill.symbol,
      {
        ...held,
        quantity: held.quantity + fill.quantity,
        costBasisCents: held.costBasisCents + amount,
        twiceMarkCents,
      },
    );
  return withPosition(
    {
      ...ledger,
      cashMovesCents: ledger.cashMovesCents + amount,
      realizedPnlCents: ledger.realizedPnlCents + fill.realizedPnlCents,
    },
    fill.symbol,
    {
      quantity: held.quantity - fill.quantity,
      // The cost basis a sale takes away is its proceeds minus the P&L it realized.
      costBasisCents: held.costBasisCents - (amount - fill.realizedPnlCents),
      realizedPnlCents: held.realizedPnlCents + fill.realizedPnlCents,
      twiceMarkCents,
    },
  );
}

export function applyToLedger(ledger: PaperLedger, change: LedgerChange): PaperLedger {
  switch (change.type) {
    case 'Provisioned':
      return ledger.baseCashCents === null ? { ...ledger, baseCashCents: change.startingCashCents } : ledger;
    case 'Reset':
      return { ...emptyLedger, frozen: ledger.frozen, baseCashCents: change.cashCents };
    case 'Reserved':
      return { ...ledger, reservedCents: ledger.reservedCents + change.cents };
    case 'Released':
      return { ...ledger, reservedCents: ledger.reservedCents - change.cents };
    case 'Filled':
      return applyFill(ledger, change);
    case 'Frozen':
      return { ...ledger, frozen: change.frozen };
    case 'Marked':
      return {
        ...ledger,
        positions: Object.fromEntries(
          Object.entries(ledger.positions).map(([symbol, position]) => [
            symbol,
            { ...position, twiceMarkCents: change.twiceMarkCents[symbol] ?? position.twiceMarkCents },
          ]),
        ),
      };
    default: {
      const unknown: never = change;
      return unknown;
    }
  }
}

/** At the mid, rounded half away from zero: the virtual broker's own valuation. */
export const marketValueOf = (position: PaperPosition): number =>
  multiplyDivideRounded(position.quantity, position.twiceMarkCents, 2);

/** Undefined until the starting cash is known. */
export function balanceOf(ledger: PaperLedger): PaperBalance | undefined {
  if (ledger.baseCashCents === null) return undefined;
  const cashCents = ledger.baseCashCents + ledger.cashMovesCents;
  let marketValueCents = 0;
  let unrealizedPnlCents = 0;
  for (const position of Object.values(ledger.positions)) {
    if (position.quantity === 0) continue;
    const value = marketValueOf(position);
    marketValueCents += value;
    unrealizedPnlCents += value - position.costBasisCents;
  }
  return {
    cashCents,
    buyingPowerCents: cashCents - ledger.reservedCents,
    marketValueCents,
    unrealizedPnlCents,
    equityCents: cashCents + marketValueCents,
  };
}

const released = (cash: string | undefined) => ({
  type: 'Released' as const,
  cents: cash ? parseCents(cash) : 0,
});

/** What one virtual-broker event changes, per paper account; events that move no money change nothing. */
export function ledgerChangesOf(
  event: VirtualBrokerEvent,
): readonly { readonly virtualAccountId: string; readonly change: LedgerChange }[] {
  switch (event.type) {
    case 'VirtualAccountsProvisioned':
      return event.payload.accounts.map((account) => ({
        virtualAccountId: account.virtualAccountId,
        change: { type: 'Provisioned', startingCashCents: parseCents(account.startingCash) },
      }));
    case 'VirtualAccountsPurged':
    case 'VirtualAccountsRestored':
      return event.payload.virtualAccountIds.map((virtualAccountId) => ({
        virtualAccountId,
        change: { type: 'Frozen', frozen: event.type === 'VirtualAccountsPurged' },
      }));
    case 'VirtualAccountReset':
      return [
        {
          virtualAccountId: event.payload.virtualAccountId,
          change: { type: 'Reset', cashCents: parseCents(event.payload.cash) },
        },
      ];
    case 'OrderPlaced':
      return [
        {
          virtualAccountId: event.payload.virtualAccountId,
          change: {
            type: 'Reserved',
            cents: event.payload.reservedCash ? parseCents(event.payload.reservedCash) : 0,
          },
        },
      ];
    case 'OrderPartiallyFilled':
    case 'OrderFilled': {
      const fill = event.payload;
      return [
        {
          virtualAccountId: fill.virtualAccountId,
          change: {
            type: 'Filled',
            symbol: fill.symbol,
            side: fill.side,
            quantity: Number(fill.quantity),
            priceCents: parseCents(fill.price),
            realizedPnlCents: parseCents(fill.realizedPnl),
            releasedCents: fill.releasedCash ? parseCents(fill.releasedCash) : 0,
          },
        },
      ];
    }
    // The reservation moves from the old terms to the new: one change by the difference.
    case 'OrderReplaced':
      return [
        {
          virtualAccountId: event.payload.virtualAccountId,
          change: {
            type: 'Reserved',
            cents: parseCents(event.payload.reservedCash) - parseCents(event.payload.releasedCash),
          },
        },
      ];
    case 'OrderCancelled':
    case 'OrderExpired':
      return [
        { virtualAccountId: event.payload.virtualAccountId, change: released(event.payload.releasedCash) },
      ];
    case 'OrderRejected':
    case 'OpenOrdersCancelled':
    case 'MarketMarked':
      return [];
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Bid + ask per symbol of a MarketMarked event. */
export function twiceMarksOf(
  event: Extract<VirtualBrokerEvent, { type: 'MarketMarked' }>,
): Record<string, number> {
  return Object.fromEntries(
    event.payload.marks.map((mark) => [mark.symbol, parseCents(mark.bid) + parseCents(mark.ask)]),
  );
}
