import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BrokerAccountEntity, EquityPointEntity } from '../../projections/broker-account.entity';

export class BalanceDto {
  @ApiProperty({ example: '1000.00' }) cash!: string;
  @ApiProperty({ example: '2000.00' }) buyingPower!: string;
  @ApiProperty({ example: '1500.00' }) equity!: string;
  @ApiProperty() asOf!: string;
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
  @ApiProperty({ enum: ['ACTIVE', 'DELETED'] }) status!: string;
  @ApiPropertyOptional() virtualAccountId?: string;
  @ApiPropertyOptional({ type: BalanceDto }) balance?: BalanceDto;
  @ApiProperty() linkedAt!: string;
}

export class EquityPointDto {
  @ApiProperty() asOf!: string;
  @ApiProperty() equity!: string;
  @ApiProperty() cash!: string;
  @ApiProperty() buyingPower!: string;
}

export function toAccountView(row: BrokerAccountEntity): BrokerAccountViewDto {
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

export const toEquityPoint = (row: EquityPointEntity): EquityPointDto => ({
  asOf: row.asOf.toISOString(),
  equity: row.equity,
  cash: row.cash,
  buyingPower: row.buyingPower,
});
