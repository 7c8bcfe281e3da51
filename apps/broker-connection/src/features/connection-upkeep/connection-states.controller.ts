import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tradecore/auth';
import { ConnectionStates } from './connection-states.query';

const TROUBLED_SHOWN = 100;

@ApiTags('ops')
@ApiBearerAuth()
@Controller('ops/connections')
@Roles('admin')
export class ConnectionStatesController {
  constructor(@Inject(ConnectionStates) private readonly states: ConnectionStates) {}

  @Get()
  @ApiOperation({
    summary:
      'Admin: connections by broker and status, and those DEGRADED, OFFLINE or NEEDS_REAUTH with the reason their owner was given',
  })
  async list() {
    const [byBroker, troubled] = await Promise.all([
      this.states.counts(),
      this.states.troubled(TROUBLED_SHOWN),
    ]);
    return { byBroker, troubled, at: new Date().toISOString() };
  }
}
