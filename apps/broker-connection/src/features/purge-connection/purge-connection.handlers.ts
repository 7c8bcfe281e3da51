import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { BeginConnectionPurge, PurgeConnection, RestoreConnection } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { CredentialsStore } from '../../infrastructure/credentials-store';
import { answerSagaCommand } from '../../infrastructure/saga-reply';
import { SagaCommandMessage } from '../saga-commands/saga-command';

export class BeginConnectionPurgeMessage extends SagaCommandMessage<BeginConnectionPurge['payload']> {}
export class RestoreConnectionMessage extends SagaCommandMessage<RestoreConnection['payload']> {}
export class PurgeConnectionMessage extends SagaCommandMessage<PurgeConnection['payload']> {}

@CommandHandler(BeginConnectionPurgeMessage)
export class BeginPurgeHandler implements ICommandHandler<BeginConnectionPurgeMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
  ) {}

  async execute({ envelope, manager, payload }: BeginConnectionPurgeMessage): Promise<void> {
    await answerSagaCommand<'BeginConnectionPurge'>(this.store, envelope, manager, async () => {
      const { connectionId, disconnectionId } = payload;
      await this.stream.execute(
        connectionId,
        { type: 'BeginPurge', disconnectionId, at: new Date().toISOString() },
        { tx: manager },
      );
      return {};
    });
  }
}

@CommandHandler(RestoreConnectionMessage)
export class RestoreConnectionHandler implements ICommandHandler<RestoreConnectionMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
  ) {}

  async execute({ envelope, manager, payload }: RestoreConnectionMessage): Promise<void> {
    await answerSagaCommand<'RestoreConnection'>(this.store, envelope, manager, async () => {
      const { connectionId, disconnectionId } = payload;
      await this.stream.execute(
        connectionId,
        { type: 'RestoreConnection', disconnectionId, at: new Date().toISOString() },
        { tx: manager },
      );
      return {};
    });
  }
}

/** The credentials are erased in the same transaction as BrokerConnectionPurged: no purged connection keeps a secret. */
@CommandHandler(PurgeConnectionMessage)
export class PurgeConnectionHandler implements ICommandHandler<PurgeConnectionMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
    @Inject(CredentialsStore) private readonly credentials: CredentialsStore,
  ) {}

  async execute({ envelope, manager, payload }: PurgeConnectionMessage): Promise<void> {
    await answerSagaCommand<'PurgeConnection'>(this.store, envelope, manager, async () => {
      const { connectionId, disconnectionId } = payload;
      await this.stream.execute(
        connectionId,
        { type: 'Purge', disconnectionId, at: new Date().toISOString() },
        { tx: manager },
      );
      await this.credentials.erase(manager, connectionId);
      return {};
    });
  }
}
