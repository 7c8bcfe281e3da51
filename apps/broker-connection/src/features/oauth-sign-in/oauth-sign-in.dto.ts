import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { TradingMode } from '@tradecore/contracts';

export class StartOAuthDto {
  @ApiProperty({ enum: ['paper', 'live'], description: 'TradeStation simulation (paper) or live accounts' })
  @IsIn(['paper', 'live'], { message: 'mode must be paper or live' })
  mode!: TradingMode;

  @ApiPropertyOptional({ description: 'Sign an existing connection in again (one in NEEDS_REAUTH)' })
  @IsOptional()
  @IsUUID('all', { message: 'connectionId must be a UUID' })
  connectionId?: string;
}

export class OAuthStartedDto {
  @ApiProperty({ description: 'Send the user’s browser here' }) authorizationUrl!: string;
  @ApiProperty() state!: string;
  @ApiProperty() codeChallenge!: string;
  @ApiProperty({ enum: ['S256'] }) codeChallengeMethod!: 'S256';
  @ApiProperty({ description: 'The state is refused after this' }) expiresAt!: string;
}

/** Each optional here: which ones must be present depends on whether the broker sent `error`. */
export class OAuthCallbackQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  code?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 256)
  state?: string;

  @ApiPropertyOptional({ description: 'Set by the broker when the user denied access' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  error?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2048)
  error_description?: string;
}

export class OAuthCompletedDto {
  @ApiProperty() connectionId!: string;
  @ApiProperty({
    description:
      'PENDING for a new connection (the saga links its accounts), CONNECTED for one signed in again',
  })
  status!: string;
  @ApiProperty() version!: number;
}
