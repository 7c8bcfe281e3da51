import { applyToLedger, emptyLedger, type PaperLedger } from '../../domain/paper-ledger';
import { aggregatePositions } from './portfolio-positions';

const holding = (...fills: [symbol: string, quantity: number, priceCents: number][]): PaperLedger =>
  fills.reduce<PaperLedger>(
    (ledger, [symbol, quantity, priceCents]) =>
      applyToLedger(ledger, {
        type: 'Filled',
        symbol,
        side: 'buy',
        quantity,
        priceCents,
        realizedPnlCents: 0,
        releasedCents: 0,
      }),
    { ...emptyLedger, baseCashCents: 1_000_000 },
  );

describe('portfolio positions', () => {
  it('given two USD accounts holding AAPL, sums them by symbol and names each account with its share', () => {
    const positions = aggregatePositions([
      { accountId: 'a-1', currency: 'USD', ledger: holding(['AAPL', 2, 10_000], ['MSFT', 1, 40_000]) },
      { accountId: 'a-2', currency: 'USD', ledger: holding(['AAPL', 3, 10_100]) },
    ]);
    expect(positions.get('USD')).toEqual([
      {
        symbol: 'AAPL',
        quantity: '5',
        costBasis: '503.00',
        marketValue: '503.00',
        unrealizedPnl: '0.00',
        accounts: [
          {
            accountId: 'a-1',
            quantity: '2',
            costBasis: '200.00',
            marketValue: '200.00',
            unrealizedPnl: '0.00',
          },
          {
            accountId: 'a-2',
            quantity: '3',
            costBasis: '303.00',
            marketValue: '303.00',
            unrealizedPnl: '0.00',
          },
        ],
      },
      expect.objectContaining({ symbol: 'MSFT', quantity: '1' }),
    ]);
  });

  it('keeps currencies apart and leaves out closed positions', () => {
    const closed = applyToLedger(holding(['SPY', 1, 50_000]), {
      type: 'Filled',
      symbol: 'SPY',
      side: 'sell',
      quantity: 1,
      priceCents: 51_000,
      realizedPnlCents: 1_000,
      releasedCents: 0,
    });
    const positions = aggregatePositions([
      { accountId: 'a-1', currency: 'USD', ledger: holding(['AAPL', 1, 10_000]) },
      { accountId: 'a-2', currency: 'EUR', ledger: holding(['AAPL', 1, 9_000]) },
      { accountId: 'a-3', currency: 'USD', ledger: closed },
    ]);
    expect(positions.get('EUR')).toEqual([expect.objectContaining({ symbol: 'AAPL', costBasis: '90.00' })]);
    expect(positions.get('USD')?.map((position) => position.symbol)).toEqual(['AAPL']);
  });
});
