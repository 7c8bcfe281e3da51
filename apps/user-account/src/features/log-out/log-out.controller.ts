import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@tradecore/auth';
import { RefreshTokenDto } from '../refresh-session/refresh-session.dto';
import { LogOutCommand } from './log-out.handler';

@ApiTags('auth')
@Controller('auth')
export class LogOutController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  // Public: the refresh token proves the session, so a client can log out after its access token expired.
  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Every refresh token of this login is revoked' })
  async logOut(@Body() body: RefreshTokenDto): Promise<void> {
    await this.commands.execute(new LogOutCommand(body.refreshToken));
  }
}
