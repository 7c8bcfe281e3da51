import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError } from '@tradecore/eventing';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';

const PRICE = /^\d{1,7}(\.\d{1,2})?$/;
const needsLimit = (kind: string) => kind === 'LIMIT' || kind === 'STOP_LIMIT';
const needsStop = (kind: string) => kind === 'STOP' || kind === 'STOP_LIMIT';

/** The paper broker's order body, plus stop and stop-limit orders. */
export class PlaceBrokerOrderDto {
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

  @ApiProperty({ enum: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'] })
  @IsIn(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'])
  type!: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';

  @ApiProperty({ example: 10, description: 'Whole shares' })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    example: '189.50',
    description: 'Required for LIMIT and STOP_LIMIT, forbidden otherwise',
  })
  @ValidateIf((order: PlaceBrokerOrderDto) => needsLimit(order.type) || order.limitPrice !== undefined)
  @IsString()
  @Matches(PRICE, { message: 'limitPrice must be a decimal string with at most two places, e.g. "189.50"' })
  limitPrice?: string;

  @ApiPropertyOptional({
    example: '185.00',
    description: 'Required for STOP and STOP_LIMIT, forbidden otherwise',
  })
  @ValidateIf((order: PlaceBrokerOrderDto) => needsStop(order.type) || order.stopPrice !== undefined)
  @IsString()
  @Matches(PRICE, { message: 'stopPrice must be a decimal string with at most two places, e.g. "185.00"' })
  stopPrice?: string;

  @ApiPropertyOptional({ enum: ['DAY', 'GTC'], default: 'DAY' })
  @IsOptional()
  @IsIn(['DAY', 'GTC'])
  timeInForce?: 'DAY' | 'GTC';
}

/** A price given for a kind that takes none, refused with the paper broker's codes. */
export function assertPricesFit(order: PlaceBrokerOrderDto): void {
  if (order.limitPrice !== undefined && !needsLimit(order.type))
    throw new DomainError('INVALID_LIMIT_PRICE', `a ${order.type} order takes no limit price; leave it out`);
  if (order.stopPrice !== undefined && !needsStop(order.type))
    throw new DomainError('INVALID_STOP_PRICE', `a ${order.type} order takes no stop price; leave it out`);
}
