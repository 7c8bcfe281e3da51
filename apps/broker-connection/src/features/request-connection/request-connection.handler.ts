import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { BrokerKind, TradingMode } from '@tradecore/contracts';
import type { BrokerCredentials } from '../../infrastructure/adapters/broker-adapter';
import type { TokenGrant } from '../../infrastructure/adapters/tradestation-token-endpoint';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { UserClosures } from '../../infrastructure/user-closures';
import { ConnectionAllowance } from './admit-connection';
import { TradeStationLogins } from './tradestation-login';

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
    /** A TradeStation sign-in just completed: its access token tells which login it is without a refresh. */
    readonly grant?: TokenGrant,
  ) {
    super();
  }
}

/**
 * The sealed credentials and the BrokerConnectionRequested that starts the saga commit together,
 * unless the user's deletion has begun or the allowance refuses. A TradeStation sign-in is first
 * asked which accounts it reaches, so the same login connected twice is refused as a duplicate.
 */
@CommandHandler(RequestConnectionCommand)
export class RequestConnectionHandler implements ICommandHandler<RequestConnectionCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(UserClosures) private readonly closures: UserClosures,
    @Inject(ConnectionAllowance) private readonly allowance: ConnectionAllowance,
    @Inject(TradeStationLogins) private readonly logins: TradeStationLogins,
  ) {}

  async execute({ userId, broker, mode, credentials: given, grant }: RequestConnectionCommand) {
    const login =
      given.broker === 'tradestation' ? await this.logins.identify(mode, given, grant) : undefined;
    const credentials: BrokerCredentials = login ? { broker: 'tradestation', ...login.credentials } : given;
    const brokerAccountIds = login?.accountIds ?? [];
    const connectionId = uuidv7();
    const { version, state } = await this.dataSource.transaction(async (manager) => {
      await this.closures.assertOpen(manager, userId);
      const result = await this.stream.execute(
        connectionId,
        { type: 'RequestConnection', connectionId, userId, broker, mode, at: new Date().toISOString() },
        { tx: manager, newStream: true },
      );
      await this.credentials.save(manager, connectionId, credentials);
      await this.allowance.admit(manager, { connectionId, userId, mode, credentials, brokerAccountIds });
      return result;
    });
    return { connectionId, status: state.status, version };
  }
}
