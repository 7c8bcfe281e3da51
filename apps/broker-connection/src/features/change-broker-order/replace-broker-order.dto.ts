import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const PRICE = /^\d{1,7}(\.\d{1,2})?$/;

/** What may change on an open order; what is left out stays. */
export class ReplaceBrokerOrderDto {
  @ApiPropertyOptional({ example: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity?: number;

  @ApiPropertyOptional({ example: '188.00' })
  @IsOptional()
  @IsString()
  @Matches(PRICE, { message: 'limitPrice must be a decimal string with at most two places, e.g. "188.00"' })
  limitPrice?: string;

  @ApiPropertyOptional({ example: '185.00' })
  @IsOptional()
  @IsString()
  @Matches(PRICE, { message: 'stopPrice must be a decimal string with at most two places, e.g. "185.00"' })
  stopPrice?: string;

  @ApiPropertyOptional({ enum: ['DAY', 'GTC'] })
  @IsOptional()
  @IsIn(['DAY', 'GTC'])
  timeInForce?: 'DAY' | 'GTC';
}
