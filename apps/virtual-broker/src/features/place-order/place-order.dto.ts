import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';

export class PlaceOrderDto {
  @ApiPropertyOptional({
    description: 'Your own order id (UUID) to make retries safe; generated when absent',
  })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiProperty({ example: 'AAPL' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9.]{0,9}$/, { message: 'symbol must be an upper-case ticker such as AAPL or BRK.B' })
  symbol!: string;

  @ApiProperty({ enum: ['BUY', 'SELL'] })
  @IsIn(['BUY', 'SELL'])
  side!: 'BUY' | 'SELL';

  @ApiProperty({
    enum: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'],
    description: 'STOP becomes a market order and STOP_LIMIT a limit order once the stop price trades',
  })
  @IsIn(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'])
  type!: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';

  @ApiProperty({ example: 10, description: 'Whole shares' })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    example: '189.50',
    description: 'Required for LIMIT and STOP_LIMIT, forbidden otherwise; at most two decimals',
  })
  @ValidateIf(
    (order: PlaceOrderDto) =>
      order.type === 'LIMIT' || order.type === 'STOP_LIMIT' || order.limitPrice !== undefined,
  )
  @IsString()
  @Matches(/^\d{1,7}(\.\d{1,2})?$/, {
    message: 'limitPrice must be a decimal string with at most two places, e.g. "189.50"',
  })
  limitPrice?: string;

  @ApiPropertyOptional({
    example: '180.00',
    description:
      'Required for STOP and STOP_LIMIT, forbidden otherwise: a buy triggers once the ask reaches it, a sell once the bid falls to it',
  })
  @ValidateIf(
    (order: PlaceOrderDto) =>
      order.type === 'STOP' || order.type === 'STOP_LIMIT' || order.stopPrice !== undefined,
  )
  @IsString()
  @Matches(/^\d{1,7}(\.\d{1,2})?$/, {
    message: 'stopPrice must be a decimal string with at most two places, e.g. "180.00"',
  })
  stopPrice?: string;

  @ApiPropertyOptional({ enum: ['DAY', 'GTC'], default: 'DAY' })
  @IsOptional()
  @IsIn(['DAY', 'GTC'])
  timeInForce?: 'DAY' | 'GTC';
}
