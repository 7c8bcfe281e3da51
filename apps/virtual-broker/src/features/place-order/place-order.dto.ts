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

  @ApiProperty({ enum: ['MARKET', 'LIMIT'] })
  @IsIn(['MARKET', 'LIMIT'])
  type!: 'MARKET' | 'LIMIT';

  @ApiProperty({ example: 10, description: 'Whole shares' })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    example: '189.50',
    description: 'Required for LIMIT, forbidden for MARKET; at most two decimals',
  })
  @ValidateIf((order: PlaceOrderDto) => order.type === 'LIMIT' || order.limitPrice !== undefined)
  @IsString()
  @Matches(/^\d{1,7}(\.\d{1,2})?$/, {
    message: 'limitPrice must be a decimal string with at most two places, e.g. "189.50"',
  })
  limitPrice?: string;

  @ApiPropertyOptional({ enum: ['DAY', 'GTC'], default: 'DAY' })
  @IsOptional()
  @IsIn(['DAY', 'GTC'])
  timeInForce?: 'DAY' | 'GTC';
}
