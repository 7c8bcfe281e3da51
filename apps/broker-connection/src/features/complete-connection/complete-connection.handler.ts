import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { MarkConnectionConnected, MarkConnectionFailed } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { answerWithTheAppend } from '../../infrastructure/saga-reply';
import { SagaCommandMessage } from '../saga-commands/saga-command';

export class MarkConnectionConnectedMessage extends SagaCommandMessage<MarkConnectionConnected['payload']> {}
export class MarkConnectionFailedMessage extends SagaCommandMessage<MarkConnectionFailed['payload']> {}

@CommandHandler(MarkConnectionConnectedMessage)
export class MarkConnectedHandler implements ICommandHandler<MarkConnectionConnectedMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
  ) {}

  async execute({ envelope, manager, payload }: MarkConnectionConnectedMessage): Promise<void> {
    await answerWithTheAppend<'MarkConnectionConnected'>(this.store, envelope, manager, async (reply) => {
      const { connectionId, linkedAccountIds, virtualAccountIds } = payload;
      await this.stream.execute(
        connectionId,
        { type: 'MarkConnected', linkedAccountIds, virtualAccountIds, at: new Date().toISOString() },
        { tx: manager, outgoing: reply.alongside({}) },
      );
      return {};
    });
  }
}

@CommandHandler(MarkConnectionFailedMessage)
export class MarkFailedHandler implements ICommandHandler<MarkConnectionFailedMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
  ) {}

  async execute({ envelope, manager, payload }: MarkConnectionFailedMessage): Promise<void> {
    await answerWithTheAppend<'MarkConnectionFailed'>(this.store, envelope, manager, async (reply) => {
      await this.stream.execute(
        payload.connectionId,
        { type: 'MarkFailed', reason: payload.reason, at: new Date().toISOString() },
        { tx: manager, outgoing: reply.alongside({}) },
      );
      return {};
    });
  }
}
