import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { AccountReset, ResetAccountCommand } from './reset-account.handler';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts/:accountId/reset')
export class ResetAccountController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start over',
    description:
      'Cancels open orders, closes every position and restores the starting cash; order history is kept.',
  })
  reset(
    @Param('accountId') accountId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AccountReset> {
    return this.commandBus.execute(new ResetAccountCommand(accountId, user.userId));
  }
}
