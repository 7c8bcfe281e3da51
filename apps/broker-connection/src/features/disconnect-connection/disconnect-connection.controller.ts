import { Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { DisconnectAccepted, DisconnectConnectionCommand } from './disconnect-connection.handler';

@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class DisconnectConnectionController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** 202: the BrokerDisconnection saga deletes the accounts and then purges the connection and its credentials. */
  @Post(':id/disconnect')
  @HttpCode(202)
  disconnect(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) connectionId: string,
  ): Promise<DisconnectAccepted> {
    return this.commandBus.execute(new DisconnectConnectionCommand(connectionId, user.userId));
  }
}
