import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { BrokerKind, TradingMode } from '@tradecore/contracts';
import type { BrokerCredentials } from '../../infrastructure/adapters/broker-adapter';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { UserClosures } from '../../infrastructure/user-closures';
import { ConnectionAllowance } from './admit-connection';

export class RequestConnectionCommand extends Command<{
  connectionId: string;
  status: string;
  version: number;
}> {
  constructor(
    readonly userId: string,
    readonly broker: BrokerKind,
    readonly mode: TradingMode,
    readonly credentials: BrokerCredentials,
  ) {
    super();
  }
}

/**
 * The sealed credentials and the BrokerConnectionRequested that starts the saga commit together,
 * unless the user's deletion has begun.
 */
@CommandHandler(RequestConnectionCommand)
export class RequestConnectionHandler implements ICommandHandler<RequestConnectionCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(UserClosures) private readonly closures: UserClosures,
    @Inject(ConnectionAllowance) private readonly allowance: ConnectionAllowance,
  ) {}

  async execute({ userId, broker, mode, credentials }: RequestConnectionCommand) {
    const connectionId = uuidv7();
    const { version, state } = await this.dataSource.transaction(async (manager) => {
      await this.closures.assertOpen(manager, userId);
      const result = await this.stream.execute(
        connectionId,
        { type: 'RequestConnection', connectionId, userId, broker, mode, at: new Date().toISOString() },
        { tx: manager, newStream: true },
      );
      await this.credentials.save(manager, connectionId, credentials);
      await this.allowance.admit(manager, { connectionId, userId, mode, credentials });
      return result;
    });
    return { connectionId, status: state.status, version };
  }
}
