import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DomainError } from '@tradecore/eventing';
import { assertConnected } from '../../domain/broker-connection.decider';
import { rethrowBrokerFailureAsHttp } from '../../infrastructure/adapters/broker-failure-http';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { ConnectionStream, loadOwnedConnection } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { reportedBalances } from './reported-balances';

export class RefreshBalancesCommand extends Command<{
  connectionId: string;
  reported: number;
  version: number;
  /** Paper accounts: nothing to fetch, broker-account follows the virtual broker's events. */
  followedLive?: true;
}> {
  constructor(
    readonly connectionId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/**
 * Fetches balances from the broker and publishes them; broker-account turns them into equity
 * history. Paper balances are already live there, so for the virtual broker there is nothing to do.
 */
@CommandHandler(RefreshBalancesCommand)
export class RefreshBalancesHandler implements ICommandHandler<RefreshBalancesCommand> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(BrokerAdapters) private readonly adapters: BrokerAdapters,
  ) {}

  async execute({ connectionId, userId }: RefreshBalancesCommand) {
    const { state, version } = await loadOwnedConnection(this.stream, connectionId, userId);
    assertConnected(state);
    if (state.status !== 'ABSENT' && state.broker === 'virtual')
      return { connectionId, reported: 0, version, followedLive: true as const };
    const credentials = await this.credentials.load(this.dataSource.manager, connectionId);
    if (!credentials || state.status === 'ABSENT')
      throw new DomainError('CONNECTION_NOT_FOUND', 'No such broker connection');
    const accounts = await this.adapters
      .discoverAccounts(connectionId, state.mode, credentials)
      .catch(rethrowBrokerFailureAsHttp);
    const balances = reportedBalances(accounts);
    // Not pinned to the version loaded above: the upkeep's health checks append to this stream
    // meanwhile (and fetching the balances may refresh its token), which is no conflict of the
    // user's; the decider checks the connection is still connected and a lost race is retried.
    const result = await this.stream.execute(connectionId, {
      type: 'ReportBalances',
      balances,
      at: new Date().toISOString(),
    });
    return { connectionId, reported: balances.length, version: result.version };
  }
}
