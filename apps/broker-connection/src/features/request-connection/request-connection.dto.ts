import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { BrokerKind, TradingMode } from '@tradecore/contracts';

/** Which fields are needed depends on the broker; pino redacts the whole `credentials` object. */
export class BrokerCredentialsDto {
  @ApiPropertyOptional({ description: 'Alpaca API key id (APCA-API-KEY-ID)', writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  apiKeyId?: string;

  @ApiPropertyOptional({ description: 'Alpaca API secret key (APCA-API-SECRET-KEY)', writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  apiSecretKey?: string;

  @ApiPropertyOptional({ description: 'TradeStation OAuth client id', writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  clientId?: string;

  @ApiPropertyOptional({ description: 'TradeStation OAuth client secret', writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  clientSecret?: string;

  @ApiPropertyOptional({ description: 'TradeStation OAuth refresh token', writeOnly: true })
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  refreshToken?: string;
}

export class PaperAccountsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  count?: number;

  @ApiPropertyOptional({
    example: '100000.00',
    description: 'Starting cash of each paper account, from 0.01 to 1000000000.00',
  })
  @IsOptional()
  @Matches(/^\d{1,12}(\.\d{1,2})?$/, { message: 'startingCash must be a decimal amount such as 100000.00' })
  startingCash?: string;

  @ApiPropertyOptional({
    example: 'USD',
    default: 'USD',
    description: 'An ISO 4217 currency with two minor units (USD, EUR, GBP …; not JPY or BHD)',
  })
  @IsOptional()
  @IsISO4217CurrencyCode()
  currency?: string;
}

export class RequestConnectionDto {
  @ApiProperty({ enum: ['alpaca', 'tradestation', 'virtual'] })
  @IsIn(['alpaca', 'tradestation', 'virtual'])
  broker!: BrokerKind;

  @ApiProperty({ enum: ['paper', 'live'] })
  @IsIn(['paper', 'live'])
  mode!: TradingMode;

  @ApiPropertyOptional({ type: BrokerCredentialsDto, description: 'Required for alpaca and tradestation' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BrokerCredentialsDto)
  credentials?: BrokerCredentialsDto;

  @ApiPropertyOptional({
    type: PaperAccountsDto,
    description: 'For the virtual broker: which paper accounts to open',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaperAccountsDto)
  paperAccounts?: PaperAccountsDto;
}

export class ConnectionAcceptedDto {
  @ApiProperty()
  connectionId!: string;

  @ApiProperty({ example: 'PENDING' })
  status!: string;

  @ApiProperty()
  version!: number;
}
