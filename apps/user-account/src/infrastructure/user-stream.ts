import { EventStore, handleCommand } from '@tradecore/eventing';
import { userAccountEventTypes } from '@tradecore/contracts';
import type { EntityManager } from 'typeorm';
import { UserCommand, userDecider } from '../domain/user.decider';

const published = new Set<string>(userAccountEventTypes);

/**
 * The contract events share their type and payload with the internal ones, so mapping is a
 * filter: contract types go to user-account.events, connection bookkeeping stays inside.
 */
export const userAccountTopicRoute = (envelope: { type: string }): string | undefined =>
  published.has(envelope.type) ? 'user-account.events' : undefined;

export function decideForUser(store: EventStore, command: UserCommand, manager?: EntityManager) {
  return handleCommand({
    store,
    decider: userDecider,
    streamId: command.userId,
    streamType: 'user',
    command,
    topic: userAccountTopicRoute,
    manager,
  });
}
