import { Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { RefreshBalancesCommand } from './refresh-balances.handler';

@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class RefreshBalancesController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 202: the balances are published; GET /broker-accounts shows them once broker-account has recorded them. */
  @Post(':id/refresh-balances')
  @HttpCode(202)
  refresh(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) connectionId: string) {
    return this.commandBus.execute(new RefreshBalancesCommand(connectionId, user.userId));
  }
}
