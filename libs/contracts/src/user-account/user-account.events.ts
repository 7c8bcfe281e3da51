import { Message, Timestamp, typeNamesOf } from '../message';

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

/** Triggers the UserDeletion saga; carries every connection it must disconnect first. */
export type UserDeletionRequested = Message<
  'UserDeletionRequested',
  { userId: string; connectionIds: readonly string[]; requestedAt: Timestamp }
>;

/** The user's personal data is erased; consumers holding anything keyed by `userId` should drop it. */
export type UserDeleted = Message<'UserDeleted', { userId: string; deletedAt: Timestamp }>;

export type UserAccountEvent =
  UserRegistered | UserProfileUpdated | UserPasswordChanged | UserDeletionRequested | UserDeleted;

export const userAccountEventTypes = typeNamesOf<UserAccountEvent>({
  UserRegistered: true,
  UserProfileUpdated: true,
  UserPasswordChanged: true,
  UserDeletionRequested: true,
  UserDeleted: true,
});
