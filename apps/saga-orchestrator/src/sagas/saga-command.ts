import type { SagaCommand } from '@tradecore/contracts';

type PayloadOf<T extends SagaCommand['type']> = Extract<SagaCommand, { type: T }>['payload'];

/** Builds a contract command, checked against its type's payload. */
export function command<T extends SagaCommand['type']>(type: T, payload: PayloadOf<T>): SagaCommand {
  return { type, schemaVersion: 1, payload } as SagaCommand;
}
