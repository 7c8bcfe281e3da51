import { specFor } from '@tradecore/eventing/testing';
import { type UserCommand, userDecider, type UserEvent } from './user.decider';

const at = '2026-01-01T00:00:00.000Z';
const userId = 'user-1';

const given = specFor(userDecider);
const registered: UserEvent = { type: 'UserRegistered', userId, role: 'user', registeredAt: at };
const requested: UserEvent = { type: 'UserDeletionRequested', userId, requestedAt: at };
const erased: UserEvent = { type: 'UserDeleted', userId, deletedAt: at };

describe('user decider', () => {
  it('registers a new user once', () => {
    given().when({ type: 'RegisterUser', userId, role: 'user', at }).then(registered);
    given(registered)
      .when({ type: 'RegisterUser', userId, role: 'user', at })
      .thenThrows('USER_ALREADY_REGISTERED');
  });

  it('asks for deletion without naming connections: the saga asks their owner', () => {
    given(registered)
      .when({ type: 'RequestDeletion', userId, at })
      .then({ type: 'UserDeletionRequested', userId, requestedAt: at });
  });

  it('replays streams that still hold the old connection tracking without changing state', () => {
    const tracked = given(registered, { type: 'BrokerConnectionTracked', userId, connectionId: 'c-1' });
    expect(tracked.state).toEqual(given(registered).state);
  });

  it('reopens an account whose deletion was called off, with the reason, so the user can act again', () => {
    const reason = { code: 'CHILD_SAGA_NOT_COMPLETED', message: 'a connection could not be disconnected' };
    const cancelled: UserEvent = { type: 'UserDeletionCancelled', userId, reason, cancelledAt: at };
    given(registered, requested).when({ type: 'CancelDeletion', userId, reason, at }).then(cancelled);
    const reopened = given(registered, requested, cancelled);
    reopened.when({ type: 'CancelDeletion', userId, reason, at }).then();
    reopened.when({ type: 'RequestDeletion', userId, at }).then(requested);
    given(registered, requested, erased)
      .when({ type: 'CancelDeletion', userId, reason, at })
      .thenThrows('USER_ALREADY_DELETED');
  });

  it('ends a session of a registered user, also while deletion is pending', () => {
    const endSession: UserCommand = {
      type: 'EndSession',
      userId,
      sessionId: 's-1',
      reason: 'logged-out',
      at,
    };
    const ended: UserEvent = {
      type: 'UserSessionEnded',
      userId,
      sessionId: 's-1',
      reason: 'logged-out',
      endedAt: at,
    };
    given(registered).when(endSession).then(ended);
    given(registered, requested).when(endSession).then(ended);
    given().when(endSession).thenThrows('USER_NOT_FOUND');
  });

  it('ends every login open when the password changes, so their access tokens stop everywhere', () => {
    const ended = (sessionId: string): UserEvent => ({
      type: 'UserSessionEnded',
      userId,
      sessionId,
      reason: 'password-changed',
      endedAt: at,
    });
    given(registered)
      .when({ type: 'ChangePassword', userId, endedSessionIds: ['s-1', 's-2'], at })
      .then({ type: 'UserPasswordChanged', userId, changedAt: at }, ended('s-1'), ended('s-2'));
  });

  it('refuses a second deletion request and changes while deletion is pending', () => {
    const pending = given(registered, requested);
    pending.when({ type: 'RequestDeletion', userId, at }).thenThrows('USER_DELETION_ALREADY_REQUESTED');
    pending
      .when({ type: 'ChangePassword', userId, endedSessionIds: [], at })
      .thenThrows('USER_DELETION_PENDING');
  });

  it('erases only after a deletion request, and a repeated erasure is a no-op', () => {
    given(registered).when({ type: 'DeleteUser', userId, at }).thenThrows('USER_DELETION_NOT_REQUESTED');
    given(registered, requested).when({ type: 'DeleteUser', userId, at }).then(erased);
    given(registered, requested, erased).when({ type: 'DeleteUser', userId, at }).then();
  });

  it('records a profile update only when something changed', () => {
    given(registered).when({ type: 'UpdateProfile', userId, changedFields: [], at }).then();
    given(registered)
      .when({ type: 'UpdateProfile', userId, changedFields: ['email'], at })
      .then({ type: 'UserProfileUpdated', userId, changedFields: ['email'], updatedAt: at });
  });
});
