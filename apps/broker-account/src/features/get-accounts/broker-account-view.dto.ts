import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BrokerAccountEntity } from '../../projections/broker-account.entity';
import type { PaperLedgerEntity } from '../../projections/paper-ledger.entity';
import { paperBalanceOf, PositionDto, positionsOf } from './paper-account-view';

export class BalanceDto {
  @ApiProperty({ example: '1000.00' }) cash!: string;
  @ApiProperty({ example: '2000.00' }) buyingPower!: string;
  @ApiProperty({ example: '1500.00' }) equity!: string;
  @ApiProperty() asOf!: string;
  @ApiPropertyOptional({ example: '500.00', description: 'Paper accounts: positions at the latest marks' })
  marketValue?: string;
  @ApiPropertyOptional({ example: '12.30', description: 'Paper accounts' }) unrealizedPnl?: string;
  @ApiPropertyOptional({ example: '4.10', description: 'Paper accounts' }) realizedPnl?: string;
}

export class BrokerAccountViewDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty({ enum: ['alpaca', 'tradestation', 'virtual'] }) broker!: string;
  @ApiProperty({ enum: ['paper', 'live'] }) mode!: string;
  @ApiProperty({ description: "The broker's account number" }) accountNumber!: string;
  @ApiProperty() displayName!: string;
  @ApiPropertyOptional({ example: 'margin' }) accountType?: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({
    enum: ['ACTIVE', 'CLOSED', 'DELETED'],
    description: 'CLOSED: the broker no longer lists the account; it opens again if listed again',
  })
  status!: string;
  @ApiPropertyOptional() virtualAccountId?: string;
  @ApiPropertyOptional({ type: BalanceDto }) balance?: BalanceDto;
  @ApiPropertyOptional({
    type: [PositionDto],
    description: 'Paper accounts: open positions, followed live from the virtual broker',
  })
  positions?: PositionDto[];
  @ApiPropertyOptional({ description: 'Paper accounts frozen by a disconnection under way' })
  frozen?: boolean;
  @ApiProperty() linkedAt!: string;
}

export class EquityPointDto {
  @ApiProperty({ description: 'When the equity changed; with an interval, the start of the bucket' })
  asOf!: string;
  @ApiProperty() equity!: string;
  @ApiProperty() cash!: string;
  @ApiProperty() buyingPower!: string;
}

/** A paper account's balance and positions come from its ledger once the starting cash is known. */
export function toAccountView(row: BrokerAccountEntity, paper?: PaperLedgerEntity): BrokerAccountViewDto {
  const live = paper && paperBalanceOf(paper);
  const view = toLinkedAccountView(row);
  return live
    ? {
        ...view,
        balance: live,
        positions: positionsOf(paper.ledger),
        ...(paper.ledger.frozen && { frozen: true }),
      }
    : view;
}

function toLinkedAccountView(row: BrokerAccountEntity): BrokerAccountViewDto {
  return {
    accountId: row.accountId,
    connectionId: row.connectionId,
    broker: row.broker,
    mode: row.mode,
    accountNumber: row.externalAccountId,
    displayName: row.displayName,
    ...(row.accountType && { accountType: row.accountType }),
    currency: row.currency,
    status: row.status,
    ...(row.virtualAccountId && { virtualAccountId: row.virtualAccountId }),
    ...(row.balanceAsOf &&
      row.cash !== null &&
      row.buyingPower !== null &&
      row.equity !== null && {
        balance: {
          cash: row.cash,
          buyingPower: row.buyingPower,
          equity: row.equity,
          asOf: row.balanceAsOf.toISOString(),
        },
      }),
    linkedAt: row.linkedAt.toISOString(),
  };
}
