import type { InlineProjector } from '../event-store/event-store.types';

/** A table a projection writes, and how its rows are tied back to the event store. */
export interface ProjectedTable {
  readonly name: string;
  /**
   * SQL giving the stream a row belongs to, over the table's own columns; `{schema}` stands for
   * where the projection's tables live (the service's schema, or `pg_temp` during a rebuild).
   */
  readonly streamOf: string;
  /** The column holding the stream version the row was last projected at, if the table keeps one. */
  readonly versionColumn?: string;
  /**
   * SQL (like `streamOf`) giving another stream whose events also write the row, where there is
   * one: a signal's row is inserted by its own stream and updated by its automation's. The
   * integrity check replays that stream too, interleaved in store order, before it compares the row.
   */
  readonly alsoWrittenBy?: string;
}

/** A read model projected inline from the service's own event store: it can be rebuilt and checked for drift. */
export interface StoreProjection {
  readonly source: 'event-store';
  readonly service: string;
  readonly name: string;
  /** Parents first; the order the shadow tables are filled and compared in. */
  readonly tables: readonly ProjectedTable[];
  /** Tables the projector touches without owning them (erasure of followed rows): empty during a rebuild. */
  readonly touches?: readonly string[];
  readonly streamTypes: readonly string[];
  /** The projector writing into the tables of `schema`; a rebuild passes `pg_temp`. */
  readonly projector: (schema: string) => InlineProjector;
  /** TypeORM entities the projector writes through, if any: a rebuild maps them to `pg_temp`. */
  readonly entities?: readonly (new () => unknown)[];
  /**
   * The projector only writes, through `manager.query` or `queryPrepared`, and never looks at what
   * a statement returns: a replay may queue its statements and send a page of them in one round
   * trip (StatementBatch), which is what makes a rebuild fast. Absent, each statement is awaited.
   */
  readonly batchable?: boolean;
}

/**
 * A read model a consumer builds from another service's topic: the service's event store cannot
 * rebuild it, the topic can (see docs/operations.md, "Rebuilding a projection fed from Kafka").
 */
export interface TopicProjection {
  readonly source: 'kafka';
  readonly service: string;
  readonly name: string;
  readonly tables: readonly string[];
  readonly topic: string;
  readonly consumerGroup: string;
}

export type ProjectionRegistration = StoreProjection | TopicProjection;

export function projectionNamed(
  registrations: readonly ProjectionRegistration[],
  name: string,
): ProjectionRegistration | undefined {
  return registrations.find((registration) => registration.name === name);
}
