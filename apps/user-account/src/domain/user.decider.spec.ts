import {
  decide,
  evolve,
  initialState,
  type UserCommand,
  type UserEvent,
  type UserState,
} from './user.decider';

const at = '2026-01-01T00:00:00.000Z';
const userId = 'user-1';

function given(...events: UserEvent[]): UserState {
  return events.reduce(evolve, initialState);
}
const registered: UserEvent = { type: 'UserRegistered', userId, role: 'user', registeredAt: at };
const requested: UserEvent = { type: 'UserDeletionRequested', userId, requestedAt: at };
const erased: UserEvent = { type: 'UserDeleted', userId, deletedAt: at };
const when = (state: UserState, command: UserCommand) => decide(command, state);

describe('user decider', () => {
  it('registers a new user once', () => {
    expect(when(given(), { type: 'RegisterUser', userId, role: 'user', at })).toEqual([registered]);
    expect(() => when(given(registered), { type: 'RegisterUser', userId, role: 'user', at })).toThrow(
      expect.objectContaining({ code: 'USER_ALREADY_REGISTERED' }),
    );
  });

  it('asks for deletion without naming connections: the saga asks their owner', () => {
    expect(when(given(registered), { type: 'RequestDeletion', userId, at })).toEqual([
      { type: 'UserDeletionRequested', userId, requestedAt: at },
    ]);
  });

  it('replays streams that still hold the old connection tracking without changing state', () => {
    const tracked = given(registered, { type: 'BrokerConnectionTracked', userId, connectionId: 'c-1' });
    expect(tracked).toEqual(given(registered));
  });

  it('reopens an account whose deletion was called off, with the reason, so the user can act again', () => {
    const reason = { code: 'CHILD_SAGA_NOT_COMPLETED', message: 'a connection could not be disconnected' };
    const cancelled: UserEvent = { type: 'UserDeletionCancelled', userId, reason, cancelledAt: at };
    const pending = given(registered, requested);
    expect(when(pending, { type: 'CancelDeletion', userId, reason, at })).toEqual([cancelled]);
    const reopened = given(registered, requested, cancelled);
    expect(when(reopened, { type: 'CancelDeletion', userId, reason, at })).toEqual([]);
    expect(when(reopened, { type: 'RequestDeletion', userId, at })).toHaveLength(1);
    expect(() =>
      when(given(registered, requested, erased), { type: 'CancelDeletion', userId, reason, at }),
    ).toThrow(expect.objectContaining({ code: 'USER_ALREADY_DELETED' }));
  });

  it('ends a session of a registered user, also while deletion is pending', () => {
    const endSession: UserCommand = {
      type: 'EndSession',
      userId,
      sessionId: 's-1',
      reason: 'logged-out',
      at,
    };
    const ended = { type: 'UserSessionEnded', userId, sessionId: 's-1', reason: 'logged-out', endedAt: at };
    expect(when(given(registered), endSession)).toEqual([ended]);
    expect(when(given(registered, requested), endSession)).toEqual([ended]);
    expect(() => when(given(), endSession)).toThrow(expect.objectContaining({ code: 'USER_NOT_FOUND' }));
  });

  it('ends every login open when the password changes, so their access tokens stop everywhere', () => {
    const change: UserCommand = { type: 'ChangePassword', userId, endedSessionIds: ['s-1', 's-2'], at };
    const ended = (sessionId: string) => ({
      type: 'UserSessionEnded',
      userId,
      sessionId,
      reason: 'password-changed',
      endedAt: at,
    });
    expect(when(given(registered), change)).toEqual([
      { type: 'UserPasswordChanged', userId, changedAt: at },
      ended('s-1'),
      ended('s-2'),
    ]);
  });

  it('refuses a second deletion request and changes while deletion is pending', () => {
    const pending = given(registered, requested);
    expect(() => when(pending, { type: 'RequestDeletion', userId, at })).toThrow(
      expect.objectContaining({ code: 'USER_DELETION_ALREADY_REQUESTED' }),
    );
    expect(() => when(pending, { type: 'ChangePassword', userId, endedSessionIds: [], at })).toThrow(
      expect.objectContaining({ code: 'USER_DELETION_PENDING' }),
    );
  });

  it('erases only after a deletion request, and a repeated erasure is a no-op', () => {
    expect(() => when(given(registered), { type: 'DeleteUser', userId, at })).toThrow(
      expect.objectContaining({ code: 'USER_DELETION_NOT_REQUESTED' }),
    );
    expect(when(given(registered, requested), { type: 'DeleteUser', userId, at })).toEqual([erased]);
    expect(when(given(registered, requested, erased), { type: 'DeleteUser', userId, at })).toEqual([]);
  });

  it('records a profile update only when something changed', () => {
    expect(when(given(registered), { type: 'UpdateProfile', userId, changedFields: [], at })).toEqual([]);
    expect(
      when(given(registered), { type: 'UpdateProfile', userId, changedFields: ['email'], at }),
    ).toHaveLength(1);
  });
});
