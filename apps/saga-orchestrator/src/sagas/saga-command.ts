import type { SagaCommand } from '@tradecore/contracts';

type CommandOf<T extends SagaCommand['type']> = Extract<SagaCommand, { type: T }>;

/** Builds a contract command, checked against its type's payload; the step that sends it sees its typed result. */
export function command<T extends SagaCommand['type']>(
  type: T,
  payload: CommandOf<T>['payload'],
): CommandOf<T> {
  return { type, schemaVersion: 1, payload } as CommandOf<T>;
}
