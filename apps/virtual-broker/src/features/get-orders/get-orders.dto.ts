import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const ORDER_STATUSES = [
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
] as const;

export class ListOrdersDto {
  @ApiPropertyOptional({
    enum: [...ORDER_STATUSES, 'OPEN'],
    description: 'OPEN means NEW or PARTIALLY_FILLED',
  })
  @IsOptional()
  @IsIn([...ORDER_STATUSES, 'OPEN'])
  status?: (typeof ORDER_STATUSES)[number] | 'OPEN';

  @ApiPropertyOptional({
    default: 100,
    minimum: 1,
    maximum: 500,
    description: 'Newest orders first, at most this many',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
