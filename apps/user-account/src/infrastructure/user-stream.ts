import type { FactoryProvider } from '@nestjs/common';
import { userAccountEventTypes } from '@tradecore/contracts';
import { type CommandPath, commandPath, EventStore } from '@tradecore/eventing';
import { type UserCommand, userDecider, type UserEvent, type UserState } from '../domain/user.decider';

const published = new Set<string>(userAccountEventTypes);

/**
 * The contract events share their type and payload with the internal ones, so mapping is a
 * filter: contract types go to user-account.events, connection bookkeeping stays inside.
 */
const userAccountTopicRoute = (envelope: { type: string }): string | undefined =>
  published.has(envelope.type) ? 'user-account.events' : undefined;

/** A user's stream, keyed by the user id every command carries. */
export type UserStream = CommandPath<UserCommand, UserEvent, UserState>;
export const UserStream = Symbol('UserStream');

export const userStreamProvider: FactoryProvider<UserStream> = {
  provide: UserStream,
  inject: [EventStore],
  useFactory: (store: EventStore) =>
    commandPath(store, { decider: userDecider, streamType: 'user', topic: userAccountTopicRoute }),
};
