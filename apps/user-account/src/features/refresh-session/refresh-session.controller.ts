import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '@tradecore/auth';
import { TokenPairDto } from '../log-in/log-in.dto';
import { RefreshTokenDto } from './refresh-session.dto';
import { RefreshSessionCommand } from './refresh-session.handler';

@ApiTags('auth')
@Controller('auth')
export class RefreshSessionController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    description: 'INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED (the family is revoked)',
  })
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.commands.execute(new RefreshSessionCommand(body.refreshToken));
  }
}
