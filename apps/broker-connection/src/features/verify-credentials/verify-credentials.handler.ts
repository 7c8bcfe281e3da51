import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { VerifyBrokerCredentials } from '@tradecore/contracts';
import { DomainError, EventStore } from '@tradecore/eventing';
import { requireConnecting } from '../../domain/broker-connection.decider';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { answerWithTheAppend } from '../../infrastructure/saga-reply';
import { SagaCommandMessage } from '../saga-commands/saga-command';

export class VerifyBrokerCredentialsMessage extends SagaCommandMessage<VerifyBrokerCredentials['payload']> {}

/** Opens the credentials only here, for the one call that needs them; the reply carries accounts, never secrets. */
@CommandHandler(VerifyBrokerCredentialsMessage)
export class VerifyCredentialsHandler implements ICommandHandler<VerifyBrokerCredentialsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
    @Inject(BrokerAdapters) private readonly adapters: BrokerAdapters,
  ) {}

  async execute({ envelope, manager, payload }: VerifyBrokerCredentialsMessage): Promise<void> {
    const { connectionId } = payload;
    await answerWithTheAppend<'VerifyBrokerCredentials'>(this.store, envelope, manager, async (reply) => {
      const connection = await this.credentials.loadWithConnection(manager, connectionId);
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
        { tx: manager, outgoing: reply.alongside({ accounts }) },
      );
      return { accounts };
    });
  }
}
