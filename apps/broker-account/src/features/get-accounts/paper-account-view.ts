import { ApiProperty } from '@nestjs/swagger';
import { formatCents, formatRatio } from '../../domain/cents';
import { balanceOf, marketValueOf, PaperLedger } from '../../domain/paper-ledger';
import type { PaperLedgerEntity } from '../../projections/paper-ledger.entity';

export class PositionDto {
  @ApiProperty({ example: 'AAPL' }) symbol!: string;
  @ApiProperty({ example: '10' }) quantity!: string;
  @ApiProperty({ example: '190.05', description: 'Cost basis ÷ quantity, up to 4 places' })
  averagePrice!: string;
  @ApiProperty({ example: '1900.50' }) costBasis!: string;
  @ApiProperty({ example: '191.005', description: 'The mid of the latest quote (may be half a cent)' })
  markPrice!: string;
  @ApiProperty({ example: '1910.05' }) marketValue!: string;
  @ApiProperty({ example: '9.55' }) unrealizedPnl!: string;
  @ApiProperty({ example: '0.00' }) realizedPnl!: string;
}

export function positionsOf(ledger: PaperLedger): PositionDto[] {
  return Object.entries(ledger.positions)
    .filter(([, position]) => position.quantity > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([symbol, position]) => {
      const marketValue = marketValueOf(position);
      return {
        symbol,
        quantity: String(position.quantity),
        averagePrice: formatRatio(position.costBasisCents, position.quantity, 4),
        costBasis: formatCents(position.costBasisCents),
        markPrice: formatRatio(position.twiceMarkCents, 2, 3),
        marketValue: formatCents(marketValue),
        unrealizedPnl: formatCents(marketValue - position.costBasisCents),
        realizedPnl: formatCents(position.realizedPnlCents),
      };
    });
}

/** The live balance of a followed paper account, or undefined while its starting cash is unknown. */
export function paperBalanceOf(row: Pick<PaperLedgerEntity, 'ledger' | 'asOf'>) {
  const balance = balanceOf(row.ledger);
  return (
    balance && {
      cash: formatCents(balance.cashCents),
      buyingPower: formatCents(balance.buyingPowerCents),
      equity: formatCents(balance.equityCents),
      marketValue: formatCents(balance.marketValueCents),
      unrealizedPnl: formatCents(balance.unrealizedPnlCents),
      realizedPnl: formatCents(row.ledger.realizedPnlCents),
      asOf: row.asOf.toISOString(),
    }
  );
}
