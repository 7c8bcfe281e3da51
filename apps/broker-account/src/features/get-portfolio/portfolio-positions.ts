import { formatCents } from '../../domain/cents';
import { marketValueOf, type PaperLedger } from '../../domain/paper-ledger';
import type { PortfolioPositionDto } from './portfolio.dto';

export interface HeldBy {
  readonly accountId: string;
  readonly currency: string;
  readonly ledger: PaperLedger;
}

interface Sum {
  quantity: number;
  costBasisCents: number;
  marketValueCents: number;
}

const money = (sum: Sum) => ({
  quantity: String(sum.quantity),
  costBasis: formatCents(sum.costBasisCents),
  marketValue: formatCents(sum.marketValueCents),
  unrealizedPnl: formatCents(sum.marketValueCents - sum.costBasisCents),
});

/** Open positions per currency and symbol, summed over the accounts, each account's share beside. */
export function aggregatePositions(held: readonly HeldBy[]): Map<string, PortfolioPositionDto[]> {
  const bySymbol = new Map<string, { total: Sum; accounts: (Sum & { accountId: string })[] }>();
  for (const { accountId, currency, ledger } of held)
    for (const [symbol, position] of Object.entries(ledger.positions)) {
      if (position.quantity <= 0) continue;
      const key = `${currency}\u0000${symbol}`;
      const entry = bySymbol.get(key) ?? {
        total: { quantity: 0, costBasisCents: 0, marketValueCents: 0 },
        accounts: [],
      };
      const share = {
        accountId,
        quantity: position.quantity,
        costBasisCents: position.costBasisCents,
        marketValueCents: marketValueOf(position),
      };
      entry.total.quantity += share.quantity;
      entry.total.costBasisCents += share.costBasisCents;
      entry.total.marketValueCents += share.marketValueCents;
      entry.accounts.push(share);
      bySymbol.set(key, entry);
    }
  const result = new Map<string, PortfolioPositionDto[]>();
  for (const [key, { total, accounts }] of [...bySymbol].sort(([a], [b]) => a.localeCompare(b))) {
    const [currency, symbol] = key.split('\u0000');
    result.set(currency, [
      ...(result.get(currency) ?? []),
      {
        symbol,
        ...money(total),
        accounts: accounts.map((share) => ({ accountId: share.accountId, ...money(share) })),
      },
    ]);
  }
  return result;
}
