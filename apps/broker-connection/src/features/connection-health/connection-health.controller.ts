import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import type { BrokerKind, TradingMode } from '@tradecore/contracts';
import { BrokerAdapterError } from '../../infrastructure/adapters/broker-adapter';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { findOwnedConnection } from '../get-connection/get-connection.controller';

type Session = 'ok' | 'refused' | 'unreachable' | 'not-checked';

/**
 * Checks a connected connection's credentials against its broker right now. Credentials the
 * broker refuses mean the session ended on its side: that is recorded as BrokerDisconnected,
 * which starts the clean-up, so the user is not left with a connection that cannot work.
 */
@ApiTags('broker-connections')
@ApiBearerAuth()
@Controller('broker-connections')
export class ConnectionHealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BrokerAdapters) private readonly adapters: BrokerAdapters,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
  ) {}

  @Get(':id/health')
  async health(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) connectionId: string) {
    const connection = await findOwnedConnection(this.dataSource, connectionId, user.userId);
    let session: Session = 'not-checked';
    let status = connection.status;
    let reason: { code: string; message: string } | undefined;
    const credentials =
      connection.status === 'CONNECTED'
        ? await this.credentials.load(this.dataSource.manager, connectionId)
        : undefined;
    if (credentials) {
      try {
        await this.adapters.discoverAccounts(connectionId, connection.mode, credentials);
        session = 'ok';
      } catch (error) {
        if (!(error instanceof BrokerAdapterError)) throw error;
        reason = { code: error.code, message: error.message };
        session = error.code === 'INVALID_CREDENTIALS' ? 'refused' : 'unreachable';
      }
    }
    if (session === 'refused' && reason) {
      const result = await this.stream.execute(connectionId, {
        type: 'RecordBrokerDisconnect',
        disconnectionId: uuidv7(),
        reason,
        at: new Date().toISOString(),
      });
      status = result.state.status as typeof status;
    }
    return {
      connectionId,
      broker: connection.broker,
      status,
      session,
      ...(reason && { reason }),
      circuit: this.circuitOf(connection.broker, connection.mode),
      checkedAt: new Date().toISOString(),
    };
  }

  /** The breakers this connection's calls pass through, worst first. */
  private circuitOf(broker: BrokerKind, mode: TradingMode): string {
    if (broker === 'virtual') return 'none';
    return this.adapters.resilience.stateOf(broker, broker === 'tradestation' ? ['token', mode] : [mode]);
  }
}
