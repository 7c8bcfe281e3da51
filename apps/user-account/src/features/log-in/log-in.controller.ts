import { Body, Controller, HttpCode, HttpStatus, Inject, Ip, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '@tradecore/auth';
import { LogInDto, TokenPairDto } from './log-in.dto';
import { LogInCommand } from './log-in.handler';

@ApiTags('auth')
@Controller('auth')
export class LogInController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_LOGIN_ATTEMPTS, with Retry-After' })
  logIn(@Body() body: LogInDto, @Ip() clientAddress: string): Promise<TokenPairDto> {
    return this.commands.execute(new LogInCommand(body.email, body.password, clientAddress));
  }
}
