import { Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { ReconnectConnectionCommand } from './reconnect-connection.handler';

@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class ReconnectConnectionController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':id/reconnect')
  @HttpCode(200)
  reconnect(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) connectionId: string) {
    return this.commandBus.execute(new ReconnectConnectionCommand(connectionId, user.userId));
  }
}
