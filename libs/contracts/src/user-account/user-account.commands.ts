import { commandKeyFieldsOf, type Message, type Reason, typeNamesOf } from '../message';

/** Final UserDeletion step: delete the account and erase its personal data. Replies with no result. */
export type DeleteUser = Message<'DeleteUser', { userId: string }>;

/**
 * Compensates a UserDeletion that could not finish: the account is open again and the user
 * can log in and sees `reason`. Refused with `USER_ALREADY_DELETED` once the user was erased;
 * a no-op for an account that is already open.
 */
export type CancelUserDeletion = Message<'CancelUserDeletion', { userId: string; reason: Reason }>;

export type UserAccountCommand = DeleteUser | CancelUserDeletion;

export const userAccountCommandKeyFields = commandKeyFieldsOf<UserAccountCommand>({
  DeleteUser: 'userId',
  CancelUserDeletion: 'userId',
});

export const userAccountCommandTypes = typeNamesOf<UserAccountCommand>(userAccountCommandKeyFields);
