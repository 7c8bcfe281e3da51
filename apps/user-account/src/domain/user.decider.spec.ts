import { decide, evolve, initialState, UserCommand, UserEvent, UserState } from './user.decider';

const at = '2026-01-01T00:00:00.000Z';
const userId = 'user-1';

function given(...events: UserEvent[]): UserState {
  return events.reduce(evolve, initialState);
}
const registered: UserEvent = { type: 'UserRegistered', userId, role: 'user', registeredAt: at };
const when = (state: UserState, command: UserCommand) => decide(command, state);

describe('user decider', () => {
  it('registers a new user once', () => {
    expect(when(given(), { type: 'RegisterUser', userId, role: 'user', at })).toEqual([registered]);
    expect(() => when(given(registered), { type: 'RegisterUser', userId, role: 'user', at })).toThrow(
      expect.objectContaining({ code: 'USER_ALREADY_REGISTERED' }),
    );
  });

  it('enriches a deletion request with every tracked broker connection', () => {
    const state = given(
      registered,
      { type: 'BrokerConnectionTracked', userId, connectionId: 'c-1' },
      { type: 'BrokerConnectionTracked', userId, connectionId: 'c-2' },
      { type: 'BrokerConnectionForgotten', userId, connectionId: 'c-1' },
    );
    expect(when(state, { type: 'RequestDeletion', userId, at })).toEqual([
      { type: 'UserDeletionRequested', userId, connectionIds: ['c-2'], requestedAt: at },
    ]);
  });

  it('tracks a connection once and ignores connections of unknown users', () => {
    const tracked: UserEvent = { type: 'BrokerConnectionTracked', userId, connectionId: 'c-1' };
    expect(
      when(given(registered, tracked), { type: 'TrackConnection', userId, connectionId: 'c-1' }),
    ).toEqual([]);
    expect(when(given(), { type: 'TrackConnection', userId, connectionId: 'c-1' })).toEqual([]);
  });

  it('refuses a second deletion request and changes while deletion is pending', () => {
    const pending = given(registered, {
      type: 'UserDeletionRequested',
      userId,
      connectionIds: [],
      requestedAt: at,
    });
    expect(() => when(pending, { type: 'RequestDeletion', userId, at })).toThrow(
      expect.objectContaining({ code: 'USER_DELETION_ALREADY_REQUESTED' }),
    );
    expect(() => when(pending, { type: 'ChangePassword', userId, at })).toThrow(
      expect.objectContaining({ code: 'USER_DELETION_PENDING' }),
    );
  });

  it('erases only after a deletion request, and a repeated erasure is a no-op', () => {
    expect(() => when(given(registered), { type: 'DeleteUser', userId, at })).toThrow(
      expect.objectContaining({ code: 'USER_DELETION_NOT_REQUESTED' }),
    );
    const pending = given(registered, {
      type: 'UserDeletionRequested',
      userId,
      connectionIds: [],
      requestedAt: at,
    });
    const erased: UserEvent = { type: 'UserDeleted', userId, deletedAt: at };
    expect(when(pending, { type: 'DeleteUser', userId, at })).toEqual([erased]);
    expect(
      when(
        given(
          registered,
          { type: 'UserDeletionRequested', userId, connectionIds: [], requestedAt: at },
          erased,
        ),
        {
          type: 'DeleteUser',
          userId,
          at,
        },
      ),
    ).toEqual([]);
  });

  it('records a profile update only when something changed', () => {
    expect(when(given(registered), { type: 'UpdateProfile', userId, changedFields: [], at })).toEqual([]);
    expect(
      when(given(registered), { type: 'UpdateProfile', userId, changedFields: ['email'], at }),
    ).toHaveLength(1);
  });
});
