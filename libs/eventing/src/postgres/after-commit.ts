import { AsyncResource } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

type Work = () => Promise<void>;

const pending = new WeakMap<EntityManager, Work[]>();
const flushing = new WeakSet<EntityManager>();

/**
 * Runs `work` once `tx` commits, or now when there is no transaction: a side effect outside the
 * database (a live push) must never announce a write that may still roll back. Transactions the
 * library opens (the consumers' inbox transactions) flush their queue after COMMIT and drop it
 * after ROLLBACK. Queued work runs in the async context it was queued from (its message's context
 * and trace), since one transaction may hold several consumed messages.
 */
export async function afterCommit(tx: EntityManager | undefined, work: Work): Promise<void> {
  if (!tx) return work();
  const bound = AsyncResource.bind(work);
  const queued = pending.get(tx);
  if (queued) queued.push(bound);
  else pending.set(tx, [bound]);
}

/** Whoever opens `tx` promises to call transactionCommitted or transactionRolledBack when it ends. */
export function flushesAfterCommit(tx: EntityManager): void {
  flushing.add(tx);
}

/** True when work queued with afterCommit on `tx` is sure to run once it commits. */
export function runsAfterCommit(tx: EntityManager): boolean {
  return flushing.has(tx);
}

/** Called by whoever committed `tx`: best effort, one failing side effect does not stop the others. */
export async function transactionCommitted(tx: EntityManager): Promise<void> {
  const queued = pending.get(tx) ?? [];
  pending.delete(tx);
  flushing.delete(tx);
  for (const work of queued) await work().catch(() => undefined);
}

export function transactionRolledBack(tx: EntityManager): void {
  pending.delete(tx);
  flushing.delete(tx);
}
