import type { DataSource, EntityManager } from 'typeorm';
import { runsAfterCommit } from '../postgres/after-commit';

export interface LocalRelay {
  readonly isLeader: boolean;
  wake(): void;
}

const relays = new WeakMap<DataSource, Map<string, Set<LocalRelay>>>();

/**
 * The outbox relays running in this process, by data source and schema. A commit made here wakes
 * its own leading relay with a function call instead of a NOTIFY, which costs a round trip to
 * PostgreSQL and a hop through the listening backend before the relay even starts reading. A
 * relay that leads in another process still learns of commits by NOTIFY, and any missed wake-up
 * by its poll.
 */
export function registerLocalRelay(dataSource: DataSource, schema: string, relay: LocalRelay): () => void {
  const bySchema = relays.get(dataSource) ?? new Map<string, Set<LocalRelay>>();
  relays.set(dataSource, bySchema);
  const running = bySchema.get(schema) ?? new Set<LocalRelay>();
  bySchema.set(schema, running);
  running.add(relay);
  return () => void running.delete(relay);
}

function localLeader(dataSource: DataSource, schema: string): LocalRelay | undefined {
  for (const relay of relays.get(dataSource)?.get(schema) ?? []) if (relay.isLeader) return relay;
  return undefined;
}

/**
 * True when an append in `tx` needs no NOTIFY in its statement: the transaction is the library's
 * own (it runs work after COMMIT) and this process's relay leads, so the relay is woken in process
 * after the commit. Should leadership move before then, that wake-up falls back to a NOTIFY.
 */
export function wakesAfterCommit(tx: EntityManager, dataSource: DataSource, schema: string): boolean {
  return runsAfterCommit(tx) && localLeader(dataSource, schema) !== undefined;
}

/** Wakes this process's leading relay of `schema`; false when the leader runs elsewhere (NOTIFY it). */
export function wakeLocalRelay(dataSource: DataSource, schema: string): boolean {
  const leader = localLeader(dataSource, schema);
  leader?.wake();
  return leader !== undefined;
}
