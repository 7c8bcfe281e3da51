import type { EntityManager } from 'typeorm';
import { DomainError } from '@tradecore/eventing';
import type { PaperAccountState } from '../domain/paper-account.decider';
import type { PaperAccountStream } from './paper-account-stream';

/**
 * The provisioned accounts among `ids`, refusing any that belongs to another connection: a saga
 * must never touch accounts it was not given. Ids never provisioned are left out.
 */
export async function accountsOfConnection(
  stream: PaperAccountStream,
  connectionId: string,
  ids: readonly string[],
  tx: EntityManager,
): Promise<PaperAccountState[]> {
  const states = [];
  for (const id of ids) states.push((await stream.load(id, { tx })).state);
  const foreign = states.filter(
    (state) => state.status !== 'UNPROVISIONED' && state.connectionId !== connectionId,
  );
  if (foreign.length > 0) {
    throw new DomainError(
      'ACCOUNT_OF_ANOTHER_CONNECTION',
      `paper accounts ${foreign.map((state) => state.accountId).join(', ')} belong to another connection than ${connectionId}; send only the connection's own account ids`,
    );
  }
  return states.filter((state) => state.status !== 'UNPROVISIONED');
}
