import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { INTERVAL_PATTERN } from './equity-history.query';

export class ListAccountsQueryDto {
  @ApiPropertyOptional({ description: "Only this connection's accounts" })
  @IsOptional()
  @IsUUID()
  connectionId?: string;

  @ApiPropertyOptional({
    description: 'Also show accounts a running disconnection has deleted',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  includeDeleted?: boolean;
}

export class EquityHistoryQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ example: '2026-02-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({
    example: '1h',
    description:
      'Downsample to one point per bucket (the last one, stamped with the bucket start): 1–999 of m, h, d or w',
  })
  @IsOptional()
  @Matches(INTERVAL_PATTERN, {
    message: 'interval must be a count and a unit of m, h, d or w, e.g. 15m, 1h, 1d',
  })
  interval?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}
