import type { Reason, UserDeletionRequested } from '@tradecore/contracts';
import type { SagaFailure } from '../engine/saga-definition';
import { defineSaga, step } from '../engine/saga-definition';
import { command } from './saga-command';

// A user is erased only after every connection they own, read at its owner when the saga runs,
// has been purged; a deletion that cannot finish reopens the account, so nobody is left stuck.

export interface UserDeletionContext {
  readonly sagaId: string;
  readonly userId: string;
  /** One per connection that still had something to purge, i.e. one child BrokerDisconnection saga each. */
  readonly disconnectionIds: readonly string[];
  /** Automations left after the connections closed (their own sagas delete the rest), restored on rollback. */
  readonly deletedAutomationIds: readonly string[];
}

/** What the user reads on their reopened account. */
export function deletionCancelledReason(failure: SagaFailure): Reason {
  return {
    code: 'USER_DELETION_CANCELLED',
    message:
      `The account could not be deleted and is open again (${failure.step}: ${failure.message}). ` +
      'Ask for deletion again; if it keeps failing, contact support.',
  };
}

export const userDeletionSaga = defineSaga<UserDeletionRequested['payload'], UserDeletionContext>({
  type: 'UserDeletion',
  trigger: ['UserDeletionRequested'],
  start: ({ userId }, sagaId) => ({
    aggregateId: userId,
    context: { sagaId, userId, disconnectionIds: [], deletedAutomationIds: [] },
  }),
  deadline: { afterMs: 30 * 60_000, then: 'compensate' },
  steps: [
    {
      name: 'reopen-account-on-rollback',
      compensate: (ctx, failure) =>
        command('CancelUserDeletion', { userId: ctx.userId, reason: deletionCancelledReason(failure) }),
      timeoutMs: 15_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
    step({
      name: 'close-connections',
      command: (ctx) => command('CloseUserConnections', { userId: ctx.userId, parentSagaId: ctx.sagaId }),
      onReply: (ctx, result) => ({
        ...ctx,
        disconnectionIds: result.disconnectionIds,
      }),
      // A disconnection that did not complete, or runs past its own deadline, is asked for once more
      // (closing again starts a new one for a restored connection); then the deletion is called off.
      awaitChildren: {
        keys: (ctx) => ctx.disconnectionIds,
        timeoutMs: 12 * 60_000,
        attempts: 2,
        then: 'compensate',
      },
      compensate: (ctx) => command('ReopenUserConnections', { userId: ctx.userId }),
      timeoutMs: 15_000,
      retry: { attempts: 3, backoffFactor: 2 },
    }),
    step({
      name: 'delete-automations',
      command: (ctx) => command('DeleteUserAutomations', { userId: ctx.userId, deletionId: ctx.sagaId }),
      onReply: (ctx, result) => ({
        ...ctx,
        deletedAutomationIds: result.deletedAutomationIds ?? [],
      }),
      compensate: (ctx) =>
        command('RestoreAutomations', { automationIds: ctx.deletedAutomationIds, deletionKey: ctx.userId }),
      timeoutMs: 15_000,
      retry: { attempts: 3, backoffFactor: 2 },
    }),
    {
      name: 'delete-user',
      command: (ctx) => command('DeleteUser', { userId: ctx.userId }),
      timeoutMs: 15_000,
      retry: { attempts: 3, backoffFactor: 2 },
    },
  ],
});
