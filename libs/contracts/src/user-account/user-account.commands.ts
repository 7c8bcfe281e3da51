import { Message, typeNamesOf } from '../message';

/** Final UserDeletion step: delete the account and erase its personal data. Replies with no result. */
export type DeleteUser = Message<'DeleteUser', { userId: string }>;

export type UserAccountCommand = DeleteUser;

export const userAccountCommandTypes = typeNamesOf<UserAccountCommand>({ DeleteUser: true });
