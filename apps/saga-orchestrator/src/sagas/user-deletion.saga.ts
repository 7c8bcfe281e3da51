import type { RequestBrokerDisconnectResult, UserDeletionRequested } from '@tradecore/contracts';
import { defineSaga } from '../engine/saga-definition';
import { command } from './saga-command';

// A user is erased only after every one of their connections has been disconnected and purged.

export interface UserDeletionContext {
  readonly sagaId: string;
  readonly userId: string;
  readonly connectionIds: readonly string[];
  /** One per connection that still had something to purge, i.e. one child BrokerDisconnection saga each. */
  readonly disconnectionIds: readonly string[];
}

export const userDeletionSaga = defineSaga<UserDeletionRequested['payload'], UserDeletionContext>({
  type: 'UserDeletion',
  trigger: ['UserDeletionRequested'],
  start: ({ userId, connectionIds }, sagaId) => ({
    aggregateId: userId,
    context: { sagaId, userId, connectionIds, disconnectionIds: [] },
  }),
  steps: [
    {
      name: 'disconnect-connections',
      when: (ctx) => ctx.connectionIds.length > 0,
      command: (ctx) =>
        ctx.connectionIds.map((connectionId) =>
          command('RequestBrokerDisconnect', {
            connectionId,
            userId: ctx.userId,
            cause: 'user-deletion',
            parentSagaId: ctx.sagaId,
          }),
        ),
      onReply: (ctx, result) => {
        const { disconnectionId } = result as RequestBrokerDisconnectResult;
        return disconnectionId
          ? { ...ctx, disconnectionIds: [...ctx.disconnectionIds, disconnectionId] }
          : ctx;
      },
      awaitChildren: (ctx) => ctx.disconnectionIds,
      timeoutMs: 15_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
    {
      name: 'delete-user',
      command: (ctx) => command('DeleteUser', { userId: ctx.userId }),
      timeoutMs: 15_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
  ],
});
