import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BrokerOrderKind, BrokerOrderSide, BrokerOrderTimeInForce } from '@tradecore/contracts';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';

// The bodies of the one order API (`/api/trading/accounts/{accountId}/orders`), which paper and
// real accounts answer alike: one validated shape, so the two services cannot drift apart.

const PRICE = /^\d{1,7}(\.\d{1,2})?$/;
const MAX_QUANTITY = 10_000_000;
const SIDES: BrokerOrderSide[] = ['BUY', 'SELL'];
const KINDS: BrokerOrderKind[] = ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'];
const TIMES_IN_FORCE: BrokerOrderTimeInForce[] = ['DAY', 'GTC'];

export const takesLimitPrice = (kind: BrokerOrderKind) => kind === 'LIMIT' || kind === 'STOP_LIMIT';
export const takesStopPrice = (kind: BrokerOrderKind) => kind === 'STOP' || kind === 'STOP_LIMIT';

const priceMessage = (field: string, example: string) => ({
  message: `${field} must be a decimal string with at most two places, e.g. "${example}"`,
});

export class PlaceOrderRequestDto {
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

  @ApiProperty({ enum: SIDES })
  @IsIn(SIDES)
  side!: BrokerOrderSide;

  @ApiProperty({
    enum: KINDS,
    description: 'STOP becomes a market order and STOP_LIMIT a limit order once the stop price trades',
  })
  @IsIn(KINDS)
  type!: BrokerOrderKind;

  @ApiProperty({ example: 10, description: 'Whole shares' })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({
    example: '189.50',
    description:
      'Required for LIMIT and STOP_LIMIT, refused otherwise (422 INVALID_LIMIT_PRICE); at most two decimals',
  })
  @ValidateIf((order: PlaceOrderRequestDto) => takesLimitPrice(order.type) || order.limitPrice !== undefined)
  @IsString()
  @Matches(PRICE, priceMessage('limitPrice', '189.50'))
  limitPrice?: string;

  @ApiPropertyOptional({
    example: '185.00',
    description:
      'Required for STOP and STOP_LIMIT, refused otherwise (422 INVALID_STOP_PRICE): a buy triggers once the ask reaches it, a sell once the bid falls to it',
  })
  @ValidateIf((order: PlaceOrderRequestDto) => takesStopPrice(order.type) || order.stopPrice !== undefined)
  @IsString()
  @Matches(PRICE, priceMessage('stopPrice', '185.00'))
  stopPrice?: string;

  @ApiPropertyOptional({ enum: TIMES_IN_FORCE, default: 'DAY' })
  @IsOptional()
  @IsIn(TIMES_IN_FORCE)
  timeInForce?: BrokerOrderTimeInForce;
}

/** What may change on an open order (PATCH); what is left out stays. */
export class ReplaceOrderRequestDto {
  @ApiPropertyOptional({ example: 5, description: 'The new total quantity, shares already filled included' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity?: number;

  @ApiPropertyOptional({ example: '188.00', description: 'LIMIT and STOP_LIMIT orders only' })
  @IsOptional()
  @IsString()
  @Matches(PRICE, priceMessage('limitPrice', '188.00'))
  limitPrice?: string;

  @ApiPropertyOptional({
    example: '185.00',
    description: 'STOP and STOP_LIMIT orders only, before the stop trades',
  })
  @IsOptional()
  @IsString()
  @Matches(PRICE, priceMessage('stopPrice', '185.00'))
  stopPrice?: string;

  @ApiPropertyOptional({ enum: TIMES_IN_FORCE })
  @IsOptional()
  @IsIn(TIMES_IN_FORCE)
  timeInForce?: BrokerOrderTimeInForce;
}
