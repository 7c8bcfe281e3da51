import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const TICKER = /^[A-Z][A-Z0-9.]{0,9}$/;
const DECIMAL = /^\d{1,9}(\.\d{1,2})?$/;

export class SizingDto {
  @ApiProperty({
    enum: ['fixed-quantity', 'cash', 'percent-of-equity'],
    description: "A signal's own quantity, when it sends one, wins over this",
  })
  @IsIn(['fixed-quantity', 'cash', 'percent-of-equity'])
  kind!: 'fixed-quantity' | 'cash' | 'percent-of-equity';

  @ApiPropertyOptional({ example: 10, description: 'Whole shares, for fixed-quantity' })
  @ValidateIf((sizing: SizingDto) => sizing.kind === 'fixed-quantity')
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity?: number;

  @ApiPropertyOptional({ example: '1000.00', description: 'Cash per entry at the signal price, for cash' })
  @ValidateIf((sizing: SizingDto) => sizing.kind === 'cash')
  @Matches(DECIMAL, { message: 'amount must be a decimal string with at most two places, e.g. "1000.00"' })
  amount?: string;

  @ApiPropertyOptional({
    example: '5',
    description: 'Percent of account equity per entry, for percent-of-equity',
  })
  @ValidateIf((sizing: SizingDto) => sizing.kind === 'percent-of-equity')
  @Matches(/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/, {
    message: 'percent must be from 0.01 to 100, e.g. "5"',
  })
  percent?: string;
}

/** The settings a user may change; absent fields keep their value (PATCH) or take the default (POST). */
export class AutomationSettingsDto {
  @ApiPropertyOptional({ example: 'AAPL breakout' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({
    example: 'AAPL',
    nullable: true,
    description: 'The one symbol this automation trades; null trades whatever symbol the signal names',
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @Matches(TICKER, { message: 'symbol must be an upper-case ticker such as AAPL, or null for any symbol' })
  symbol?: string | null;

  @ApiPropertyOptional({ type: SizingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SizingDto)
  sizing?: SizingDto;

  @ApiPropertyOptional({ enum: ['market', 'limit'], default: 'market' })
  @IsOptional()
  @IsIn(['market', 'limit'])
  orderType?: 'market' | 'limit';

  @ApiPropertyOptional({
    example: '0.10',
    default: '0',
    description: 'Limit orders: the signal price moved this many percent against the trade',
  })
  @IsOptional()
  @Matches(/^\d{1,2}(\.\d{1,2})?$/, { message: 'limitOffsetPercent must be from 0 to 99.99, e.g. "0.10"' })
  limitOffsetPercent?: string;

  @ApiPropertyOptional({ enum: ['day', 'gtc'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'gtc'])
  timeInForce?: 'day' | 'gtc';

  @ApiPropertyOptional({ example: 1, default: 1, description: 'Most entries in one direction (pyramiding)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxEntriesPerDirection?: number;

  @ApiPropertyOptional({ enum: ['close', 'reverse'], default: 'close' })
  @IsOptional()
  @IsIn(['close', 'reverse'])
  onOppositeSignal?: 'close' | 'reverse';

  @ApiPropertyOptional({
    default: true,
    description: 'false pauses it: its signals are recorded and rejected',
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class CreateAutomationDto extends AutomationSettingsDto {
  @ApiProperty({
    description:
      'A broker account of yours (GET /api/broker-accounts), paper or real: its broker decides where the orders go',
  })
  @IsUUID()
  accountId!: string;

  @ApiProperty({ example: 'AAPL breakout' })
  @IsString()
  @Length(1, 100)
  declare name: string;

  @ApiProperty({ type: SizingDto })
  @ValidateNested()
  @Type(() => SizingDto)
  declare sizing: SizingDto;
}
