import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import type { BrokerConnectionEnv } from '../../broker-connection.env';
import { credentialsOf } from './broker-credentials';
import { RequestConnectionCommand } from './request-connection.handler';
import { ConnectionAcceptedDto, RequestConnectionDto } from './request-connection.dto';

@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class RequestConnectionController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(ConfigService) private readonly config: ConfigService<BrokerConnectionEnv, true>,
  ) {}

  /** 202: the BrokerConnection saga verifies the credentials and links the accounts; poll GET /broker-connections/:id. */
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ConnectionAcceptedDto })
  request(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: RequestConnectionDto,
  ): Promise<ConnectionAcceptedDto> {
    const credentials = credentialsOf(dto, {
      accountCount: this.config.get('VIRTUAL_DEFAULT_ACCOUNTS', { infer: true }),
      startingCash: this.config.get('VIRTUAL_DEFAULT_STARTING_CASH', { infer: true }),
    });
    return this.commandBus.execute(
      new RequestConnectionCommand(user.userId, dto.broker, dto.mode, credentials),
    );
  }
}
