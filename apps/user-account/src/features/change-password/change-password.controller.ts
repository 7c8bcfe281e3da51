import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { TokenPairDto } from '../log-in/log-in.dto';
import { ChangePasswordDto } from './change-password.dto';
import { ChangePasswordCommand } from './change-password.handler';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class ChangePasswordController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post('me/password')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: TokenPairDto,
    description: 'A fresh login; every other login ends, its access tokens on every service too',
  })
  @ApiUnprocessableEntityResponse({ description: 'CURRENT_PASSWORD_INCORRECT' })
  @ApiTooManyRequestsResponse({
    description:
      'TOO_MANY_PASSWORD_ATTEMPTS, with Retry-After: wrong passwords here and at login share one limit',
  })
  change(@CurrentUser() user: AuthenticatedUser, @Body() body: ChangePasswordDto): Promise<TokenPairDto> {
    return this.commands.execute(
      new ChangePasswordCommand(user.userId, body.currentPassword, body.newPassword),
    );
  }
}
