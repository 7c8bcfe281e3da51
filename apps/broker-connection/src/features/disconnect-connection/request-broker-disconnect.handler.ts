import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { RequestBrokerDisconnect } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { ConnectionStream } from '../../infrastructure/connection-stream';
import { answerSagaCommand } from '../../infrastructure/saga-reply';
import { SagaCommandMessage } from '../saga-commands/saga-command';

export class RequestBrokerDisconnectMessage extends SagaCommandMessage<RequestBrokerDisconnect['payload']> {}

/** UserDeletion's step: starts a child disconnection, or points at the one already running. */
@CommandHandler(RequestBrokerDisconnectMessage)
export class RequestBrokerDisconnectHandler implements ICommandHandler<RequestBrokerDisconnectMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ConnectionStream) private readonly stream: ConnectionStream,
  ) {}

  async execute({ envelope, manager, payload }: RequestBrokerDisconnectMessage): Promise<void> {
    await answerSagaCommand<'RequestBrokerDisconnect'>(this.store, envelope, manager, async () => {
      const { state } = await this.stream.execute(
        payload.connectionId,
        {
          type: 'RequestDisconnect',
          disconnectionId: uuidv7(),
          cause: payload.cause,
          parentSagaId: payload.parentSagaId,
          at: new Date().toISOString(),
        },
        { manager },
      );
      return {
        disconnectionId:
          state.status === 'ABSENT' || state.status === 'PURGED' ? null : (state.disconnectionId ?? null),
      };
    });
  }
}
