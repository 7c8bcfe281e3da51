import { type Decider, DomainError } from '@tradecore/eventing/domain';
import type { Flat, Reason, UserAccountEvent, UserRole, UserSessionEnded } from '@tradecore/contracts';

// A user registers once and, once erased, accepts nothing but a repeated erasure; a deletion that
// could not finish is called off and leaves the account open, so nobody is stuck half-deleted.
// Personal data (email, name, password hash) never enters these events: it lives in the user
// record, so erasing it there leaves only ids in the history.

export type UserStatus = 'none' | 'active' | 'deletion-requested' | 'deleted';

export interface UserState {
  readonly status: UserStatus;
  readonly role?: UserRole;
}

export type SessionEndReason = UserSessionEnded['payload']['reason'];

/** The contract's events as they are, so the two cannot drift; only legacy bookkeeping stays inside. */
export type UserEvent = Flat<UserAccountEvent> | LegacyConnectionTracking;

/** Streams written before the deletion saga asked broker-connection itself still hold these; they change nothing. */
type LegacyConnectionTracking = {
  readonly type: 'BrokerConnectionTracked' | 'BrokerConnectionForgotten';
  readonly userId: string;
  readonly connectionId: string;
};

export type UserCommand =
  | { readonly type: 'RegisterUser'; readonly userId: string; readonly role: UserRole; readonly at: string }
  | {
      readonly type: 'UpdateProfile';
      readonly userId: string;
      readonly changedFields: readonly ('email' | 'displayName')[];
      readonly at: string;
    }
  | {
      readonly type: 'ChangePassword';
      readonly userId: string;
      /** The logins open when the password changed: each ends, so their access tokens stop too. */
      readonly endedSessionIds: readonly string[];
      readonly at: string;
    }
  | {
      readonly type: 'EndSession';
      readonly userId: string;
      readonly sessionId: string;
      readonly reason: SessionEndReason;
      readonly at: string;
    }
  | { readonly type: 'RequestDeletion'; readonly userId: string; readonly at: string }
  | {
      readonly type: 'CancelDeletion';
      readonly userId: string;
      readonly reason: Reason;
      readonly at: string;
    }
  | { readonly type: 'DeleteUser'; readonly userId: string; readonly at: string };

const initialState: UserState = { status: 'none' };

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return { ...state, status: 'active', role: event.role };
    case 'UserProfileUpdated':
    case 'UserPasswordChanged':
    case 'UserSessionEnded':
      return state;
    case 'UserDeletionRequested':
      return { ...state, status: 'deletion-requested' };
    case 'UserDeletionCancelled':
      return { ...state, status: 'active' };
    case 'UserDeleted':
      return { ...state, status: 'deleted' };
    case 'BrokerConnectionTracked':
    case 'BrokerConnectionForgotten':
      return state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function decide(command: UserCommand, state: UserState): readonly UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      if (state.status !== 'none')
        throw new DomainError('USER_ALREADY_REGISTERED', 'This user id is already registered');
      return [
        { type: 'UserRegistered', userId: command.userId, role: command.role, registeredAt: command.at },
      ];
    case 'UpdateProfile':
      requireActive(state);
      return command.changedFields.length === 0
        ? []
        : [
            {
              type: 'UserProfileUpdated',
              userId: command.userId,
              changedFields: command.changedFields,
              updatedAt: command.at,
            },
          ];
    case 'ChangePassword':
      requireActive(state);
      return [
        { type: 'UserPasswordChanged', userId: command.userId, changedAt: command.at },
        ...command.endedSessionIds.map((sessionId): UserEvent => ({
          type: 'UserSessionEnded',
          userId: command.userId,
          sessionId,
          reason: 'password-changed',
          endedAt: command.at,
        })),
      ];
    case 'EndSession':
      // Also while deletion is under way: the event is what makes other services drop the tokens.
      if (state.status === 'none') throw new DomainError('USER_NOT_FOUND', 'No such user');
      return [
        {
          type: 'UserSessionEnded',
          userId: command.userId,
          sessionId: command.sessionId,
          reason: command.reason,
          endedAt: command.at,
        },
      ];
    case 'RequestDeletion':
      if (state.status === 'deletion-requested' || state.status === 'deleted')
        throw new DomainError(
          'USER_DELETION_ALREADY_REQUESTED',
          'Deletion of this account is already under way',
        );
      requireActive(state);
      return [{ type: 'UserDeletionRequested', userId: command.userId, requestedAt: command.at }];
    case 'CancelDeletion':
      if (state.status === 'none') throw new DomainError('USER_NOT_FOUND', 'No such user');
      if (state.status === 'deleted')
        throw new DomainError('USER_ALREADY_DELETED', 'The user was already erased; nothing to reopen');
      return state.status === 'active'
        ? []
        : [
            {
              type: 'UserDeletionCancelled',
              userId: command.userId,
              reason: command.reason,
              cancelledAt: command.at,
            },
          ];
    case 'DeleteUser':
      if (state.status === 'deleted') return [];
      if (state.status === 'none') throw new DomainError('USER_NOT_FOUND', 'No such user');
      if (state.status !== 'deletion-requested')
        throw new DomainError(
          'USER_DELETION_NOT_REQUESTED',
          'A user is erased only after asking for deletion',
        );
      return [{ type: 'UserDeleted', userId: command.userId, deletedAt: command.at }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function requireActive(state: UserState): void {
  if (state.status === 'none') throw new DomainError('USER_NOT_FOUND', 'No such user');
  if (state.status !== 'active')
    throw new DomainError('USER_DELETION_PENDING', 'This account is being deleted and can no longer change');
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = { initialState, evolve, decide };
