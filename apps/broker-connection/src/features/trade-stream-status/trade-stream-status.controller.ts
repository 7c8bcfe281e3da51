import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { ConnectionStream, loadOwnedConnection } from '../../infrastructure/connection-stream';
import { StreamLeases } from '../../infrastructure/trading/stream-leases';
import { TradeStreams } from '../../infrastructure/trading/trade-streams';

@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class TradeStreamStatusController {
  constructor(
    @Inject(ConnectionStream) private readonly connections: ConnectionStream,
    @Inject(TradeStreams) private readonly streams: TradeStreams,
    @Inject(StreamLeases) private readonly leases: StreamLeases,
  ) {}

  @Get(':id/stream')
  @ApiOperation({
    summary:
      "The connection's broker stream: which replica holds it (streamedBy), and if this one (open), whether it listens, how often it came back, what the last reconciliation found",
  })
  async status(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) connectionId: string) {
    const { state } = await loadOwnedConnection(this.connections, connectionId, user.userId);
    const accountIds = state.status === 'ABSENT' ? [] : [...state.linkedAccountIds];
    const holders = await this.leases.holders(accountIds);
    const status = this.streams.statuses()[connectionId];
    return {
      connectionId,
      replica: this.leases.owner,
      streamedBy: [...holders.values()][0]?.owner ?? null,
      open: status !== undefined,
      ...(status ?? { listening: false, reconnections: 0, lastReconciledFills: 0 }),
    };
  }
}
