import { Inject, Injectable } from '@nestjs/common';
import type { DiscoveredAccount, SagaCommandResult, VerifyBrokerCredentials } from '@tradecore/contracts';
import { DomainError, EventStore, SagaContext } from '@tradecore/eventing';
import { requireConnecting } from '../../domain/broker-connection.decider';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';

/** Opens the credentials only here, for the one call that needs them; the reply carries accounts, never secrets. */
@Injectable()
export class VerifyCredentialsHandler {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
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
    const discovered = await this.adapters.discoverAccounts(
      connectionId,
      connection.mode,
      connection.credentials,
    );
    // Paper accounts are the virtual broker's random ids and simulated cash, which the saga needs in the clear.
    const sealFor = connection.credentials.broker === 'virtual' ? undefined : payload.sealFor;
    const accounts = sealFor ? this.sealedFor(sealFor, connection.userId, discovered) : discovered;
    await this.stream.execute(
      connectionId,
      { type: 'RecordCredentialsVerified', accountCount: accounts.length, at: new Date().toISOString() },
      { tx, outgoing: reply.alongside({ accounts }) },
    );
    // Later balance reports of the user are sealed for the same key.
    if (sealFor)
      await this.store.personalData?.rememberRecipientKey(connection.userId, 'broker-account', sealFor, tx);
    return { accounts };
  }

  /** The accounts as LinkBrokerAccounts carries them on: numbers, names and balances sealed for broker-account (docs/privacy.md). */
  private sealedFor(
    publicKey: string,
    userId: string,
    accounts: readonly DiscoveredAccount[],
  ): readonly DiscoveredAccount[] {
    const link = { type: 'LinkBrokerAccounts', payload: { userId, accounts } };
    return this.store.personalData
      ? this.store.personalData.sealFor(link, publicKey).payload.accounts
      : accounts;
  }
}
