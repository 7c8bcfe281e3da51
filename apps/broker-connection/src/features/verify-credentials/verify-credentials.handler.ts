import { Inject, Injectable } from '@nestjs/common';
import type { VerifyBrokerCredentials, SagaCommandResult } from '@tradecore/contracts';
import { DomainError, SagaContext } from '@tradecore/eventing';
import { requireConnecting } from '../../domain/broker-connection.decider';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';

/** Opens the credentials only here, for the one call that needs them; the reply carries accounts, never secrets. */
@Injectable()
export class VerifyCredentialsHandler {
  constructor(
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(BrokerAdapters) private readonly adapters: BrokerAdapters,
  ) {}

  async execute(
    payload: VerifyBrokerCredentials['payload'],
    { tx, reply }: SagaContext<'VerifyBrokerCredentials'>,
  ): Promise<SagaCommandResult<'VerifyBrokerCredentials'>> {
    const { connectionId } = payload;
    const connection = await this.credentials.loadWithConnection(tx, connectionId);
    if (!connection)
      throw new DomainError('CONNECTION_NOT_FOUND', 'No credentials are stored for this connection');
    // Checked before the call as well, so a settled connection costs no broker call.
    requireConnecting(connection);
    const accounts = await this.adapters.discoverAccounts(
      connectionId,
      connection.mode,
      connection.credentials,
    );
    await this.stream.execute(
      connectionId,
      { type: 'RecordCredentialsVerified', accountCount: accounts.length, at: new Date().toISOString() },
      { tx, outgoing: reply.alongside({ accounts }) },
    );
    return { accounts };
  }
}
