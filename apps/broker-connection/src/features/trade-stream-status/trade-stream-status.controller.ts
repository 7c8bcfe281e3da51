import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { ConnectionStream, loadOwnedConnection } from '../../infrastructure/connection-stream';
import { TradeStreams } from '../../infrastructure/trading/trade-streams';

@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class TradeStreamStatusController {
  constructor(
    @Inject(ConnectionStream) private readonly connections: ConnectionStream,
    @Inject(TradeStreams) private readonly streams: TradeStreams,
  ) {}

  @Get(':id/stream')
  @ApiOperation({
    summary:
      "This replica's broker stream of the connection: listening, reconnections, fills the last reconciliation found",
  })
  async status(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) connectionId: string) {
    await loadOwnedConnection(this.connections, connectionId, user.userId);
    const status = this.streams.statuses()[connectionId];
    return {
      connectionId,
      open: status !== undefined,
      ...(status ?? { listening: false, reconnections: 0, lastReconciledFills: 0 }),
    };
  }
}
