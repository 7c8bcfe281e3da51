import { type Message, type Reason, type Timestamp, typeNamesOf } from '../message';

/*
 * No personal data leaves user-account: email, name and password hashes stay in its own
 * store, so erasing a user erases them in one place and no topic has to be rewritten.
 */

export type UserRole = 'user' | 'admin';

export type UserRegistered = Message<
  'UserRegistered',
  { userId: string; role: UserRole; registeredAt: Timestamp }
>;

export type UserProfileUpdated = Message<
  'UserProfileUpdated',
  { userId: string; changedFields: readonly ('email' | 'displayName')[]; updatedAt: Timestamp }
>;

/** Lets other services drop sessions or caches tied to the old credentials. */
export type UserPasswordChanged = Message<'UserPasswordChanged', { userId: string; changedAt: Timestamp }>;

/**
 * A login ended: logged out, its refresh token was presented twice, or the password changed
 * (every login open at that moment ends; the caller's answer opens a new one). Every service refuses
 * access tokens carrying this `sid` from now on and closes their sockets.
 */
export type UserSessionEnded = Message<
  'UserSessionEnded',
  {
    userId: string;
    sessionId: string;
    reason: 'logged-out' | 'refresh-token-reused' | 'password-changed';
    endedAt: Timestamp;
  }
>;

/**
 * Triggers the UserDeletion saga. The user's connections are not listed here: the saga asks
 * broker-connection, which owns them, to close them all at the moment it runs. Every service
 * refuses the user's access tokens issued up to `requestedAt` and closes their sockets.
 */
export type UserDeletionRequested = Message<
  'UserDeletionRequested',
  { userId: string; requestedAt: Timestamp }
>;

/** A deletion that could not finish was called off: the account is open again, and `reason` says why. */
export type UserDeletionCancelled = Message<
  'UserDeletionCancelled',
  { userId: string; reason: Reason; cancelledAt: Timestamp }
>;

/** The user's personal data is erased; consumers holding anything keyed by `userId` should drop it. */
export type UserDeleted = Message<'UserDeleted', { userId: string; deletedAt: Timestamp }>;

export type UserAccountEvent =
  | UserRegistered
  | UserProfileUpdated
  | UserPasswordChanged
  | UserSessionEnded
  | UserDeletionRequested
  | UserDeletionCancelled
  | UserDeleted;

export const userAccountEventTypes = typeNamesOf<UserAccountEvent>({
  UserRegistered: true,
  UserProfileUpdated: true,
  UserPasswordChanged: true,
  UserSessionEnded: true,
  UserDeletionRequested: true,
  UserDeletionCancelled: true,
  UserDeleted: true,
});
