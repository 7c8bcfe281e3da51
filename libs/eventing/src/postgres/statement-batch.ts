import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import type { EntityManager } from 'typeorm';
import { parameterText } from './pg-connection';

export interface QueuedStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

const BATCH = Symbol('statement-batch');
/** Numbers each flush's statement names: one that failed half-way may leave its PREPAREs behind. */
let flushes = 0;

/** The batch a manager made by `StatementBatch.manager()` queues into, if it is one. */
export function batchOf(manager: EntityManager): StatementBatch | undefined {
  return (manager as { [BATCH]?: StatementBatch })[BATCH];
}

/** A SQL literal PostgreSQL reads as it reads the same value sent as a text parameter. */
export function literal(value: unknown): string {
  const text = parameterText(value);
  if (text === null) return 'NULL';
  if (!text.includes('\\')) return `'${text.replaceAll("'", "''")}'`;
  return ` E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * Statements queued instead of sent, then sent many at a time: a replay's round trip per
 * statement is what bounds it (about 7,000 statements/s on one connection), not PostgreSQL's work.
 * A flush sends one simple-protocol query: each distinct statement text PREPAREd once (so its
 * parameters get the types they would get as a prepared statement), then one EXECUTE per queued
 * statement with its values as literals (a statement without values as it is), in the order they
 * were queued, then DEALLOCATE. Outside a
 * transaction PostgreSQL runs the whole string as one; inside one, in it.
 *
 * Only for projectors that never look at what a statement returns (StoreProjection.batchable):
 * the queueing manager answers every query with no rows, and refuses anything but `query`.
 */
export class StatementBatch {
  private queued: QueuedStatement[] = [];

  get size(): number {
    return this.queued.length;
  }

  add(text: string, values: readonly unknown[] = []): void {
    this.queued.push({ text, values });
  }

  /** What is queued, handed over to be sent some other way (oneRoundTripTransaction); the batch is left empty. */
  take(): readonly QueuedStatement[] {
    const queued = this.queued;
    this.queued = [];
    return queued;
  }

  /** A manager whose `query` (and `queryPrepared` on it) queues here; TypeORM repositories are refused. */
  manager(of: EntityManager): EntityManager {
    const queue = async (text: string, values?: readonly unknown[]) => {
      this.add(text, values ?? []);
      return [];
    };
    return new Proxy(of, {
      get: (target, property) => {
        if (property === BATCH) return this;
        if (property === 'query') return queue;
        if (property === 'connection') return target.connection;
        if (typeof property === 'symbol') return undefined;
        throw new Error(
          `a batched projector may only call query() on its manager, not ${String(property)}; ` +
            'register the projection without batchable: true',
        );
      },
    });
  }

  /** Sends what is queued in one round trip; queued statements are gone whether it succeeds or not. */
  async flush(client: ClientBase): Promise<void> {
    if (this.queued.length === 0) return;
    const queued = this.queued;
    this.queued = [];
    const suffix = `_${(flushes += 1).toString(36)}`;
    const names = new Map<string, string>();
    const parts: string[] = [];
    for (const { text, values } of queued) {
      // Without parameters pg sends a query as it is (several statements allowed): so does the batch.
      if (values.length === 0) {
        parts.push(text);
        continue;
      }
      let name = names.get(text);
      if (!name) {
        name = `rb_${createHash('sha1').update(text).digest('hex').slice(0, 16)}${suffix}`;
        names.set(text, name);
        parts.push(`PREPARE ${name} AS ${text}`);
      }
      parts.push(`EXECUTE ${name}(${values.map(literal).join(', ')})`);
    }
    for (const name of names.values()) parts.push(`DEALLOCATE ${name}`);
    // A statement text may end in a line comment: each goes on a line of its own.
    await client.query(parts.join(';\n'));
  }
}
