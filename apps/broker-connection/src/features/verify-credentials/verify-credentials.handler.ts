import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { VerifyBrokerCredentials } from '@tradecore/contracts';
import { DomainError, EventStore } from '@tradecore/eventing';
import { brokerConnectionDecider } from '../../domain/broker-connection.decider';
import { BrokerAdapters } from '../../infrastructure/adapters/broker-adapters';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { answerSagaCommand } from '../../infrastructure/saga-reply';
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
    await answerSagaCommand<'VerifyBrokerCredentials'>(this.store, envelope, manager, async () => {
      const { state } = await this.stream.load(payload.connectionId);
      // Decided once before the call as well, so an unknown or settled connection costs no broker call.
      brokerConnectionDecider.decide({ type: 'RecordCredentialsVerified', accountCount: 0, at: '' }, state);
      const credentials = await this.credentials.load(manager, payload.connectionId);
      if (!credentials || state.status === 'ABSENT')
        throw new DomainError('CONNECTION_NOT_FOUND', 'No credentials are stored for this connection');
      const accounts = await this.adapters.discoverAccounts(payload.connectionId, state.mode, credentials);
      await this.stream.execute(
        payload.connectionId,
        { type: 'RecordCredentialsVerified', accountCount: accounts.length, at: new Date().toISOString() },
        { manager },
      );
      return { accounts };
    });
  }
}
