import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PositionShareDto {
  @ApiProperty() accountId!: string;
  @ApiProperty({ example: '2' }) quantity!: string;
  @ApiProperty({ example: '380.10' }) costBasis!: string;
  @ApiProperty({ example: '382.01' }) marketValue!: string;
  @ApiProperty({ example: '1.91' }) unrealizedPnl!: string;
}

export class PortfolioPositionDto {
  @ApiProperty({ example: 'AAPL' }) symbol!: string;
  @ApiProperty({ example: '5' }) quantity!: string;
  @ApiProperty({ example: '950.25' }) costBasis!: string;
  @ApiProperty({ example: '955.03' }) marketValue!: string;
  @ApiProperty({ example: '4.78' }) unrealizedPnl!: string;
  @ApiProperty({ type: [PositionShareDto], description: 'Which accounts hold it, and how much each' })
  accounts!: PositionShareDto[];
}

export class PortfolioAccountDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty({ enum: ['alpaca', 'tradestation', 'virtual'] }) broker!: string;
  @ApiProperty({ enum: ['paper', 'live'] }) mode!: string;
  @ApiProperty() displayName!: string;
  @ApiPropertyOptional({ example: '1000.00' }) cash?: string;
  @ApiPropertyOptional({ example: '1000.00' }) buyingPower?: string;
  @ApiPropertyOptional({ example: '1500.00' }) equity?: string;
  @ApiPropertyOptional({
    description: 'Absent while no balance is known; the account then counts in no total',
  })
  asOf?: string;
}

export class CurrencyTotalDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '2000.00', description: 'Sum over the accounts with a known balance' })
  cash!: string;
  @ApiProperty({ example: '3000.00' }) buyingPower!: string;
  @ApiProperty({ example: '2500.00' }) equity!: string;
  @ApiProperty({ type: [PortfolioAccountDto] }) accounts!: PortfolioAccountDto[];
  @ApiProperty({ type: [PortfolioPositionDto], description: 'Open positions by symbol (paper accounts)' })
  positions!: PortfolioPositionDto[];
}

export class PortfolioDto {
  @ApiProperty({
    type: [CurrencyTotalDto],
    description: 'One entry per currency: amounts are never converted',
  })
  currencies!: CurrencyTotalDto[];
}
