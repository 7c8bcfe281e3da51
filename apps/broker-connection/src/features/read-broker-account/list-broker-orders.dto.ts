import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const FILTERS = ['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED', 'OPEN'] as const;

/** The paper broker's filter: a status, or OPEN for NEW and PARTIALLY_FILLED; newest first. */
export class ListBrokerOrdersDto {
  @ApiPropertyOptional({ enum: FILTERS })
  @IsOptional()
  @IsIn(FILTERS)
  status?: (typeof FILTERS)[number];

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
