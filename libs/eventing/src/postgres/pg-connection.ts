import { createRequire } from 'node:module';
import { Client, type ClientBase, type ClientConfig, type Pool } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { settlesWithin } from '../health/with-timeout';

/*
 * Every reach into TypeORM's (and pg's) private state lives in this file, pinned by
 * pg-connection.int-spec.ts: a TypeORM upgrade that moves one of them fails that test loudly
 * instead of breaking transactions silently.
 */

/**
 * TypeORM's query() neither prepares named statements nor lets a caller skip its query-runner
 * bookkeeping; the hot paths (appends, relay wake-ups) talk to the pg pool underneath instead.
 */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/** The pg client a connected query runner holds. */
export function clientOfRunner(runner: QueryRunner): ClientBase {
  return (runner as unknown as { databaseConnection: ClientBase }).databaseConnection;
}

/**
 * For a transaction begun by hand on the runner's client (START TRANSACTION sent with other
 * statements in one round trip): leaves the runner in the state TypeORM's startTransaction does,
 * so its commit, rollback and nested savepoints work.
 */
export function markTransactionBegun(runner: QueryRunner): void {
  Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
}

/** What a connection may take before it counts as failed (DATABASE_CONNECT_TIMEOUT_MS, DATABASE_QUERY_TIMEOUT_MS). */
export interface ConnectionTimeouts {
  readonly connectTimeoutMs: number;
  readonly queryTimeoutMs: number;
}

export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = {
  connectTimeoutMs: 5000,
  queryTimeoutMs: 30_000,
};

const isReadTimeout = (error: unknown) => error instanceof Error && error.message === 'Query read timeout';

/**
 * A pool's client that closes its connection when a query times out. pg fails the query but keeps
 * the connection, still waiting for the answer (which, on a line gone silent, never comes); TypeORM
 * then hands it back to the pool without the error, and every later query on it times out too.
 * Ended, it is dropped by the pool at release, and the next caller gets a new connection.
 */
export class TimeoutClosingClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    const closeIfTimedOut = (error: unknown) => {
      if (!isReadTimeout(error)) return;
      this.end().catch(() => undefined);
      destroySession(this);
    };
    this.query = ((...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === 'function')
        args[args.length - 1] = (error: unknown, result: unknown) => {
          closeIfTimedOut(error);
          (callback as (error: unknown, result: unknown) => void)(error, result);
        };
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        closeIfTimedOut(error);
        throw error;
      });
    }) as Client['query'];
  }
}

/**
 * Pool settings that bound every wait on PostgreSQL: without them a connect to an address that
 * swallows packets, or a query on a connection that died silently, never settles, and the loop
 * awaiting it is stuck for good. Keepalive lets the kernel notice a dead idle connection, and a
 * client whose query timed out is closed rather than reused (TimeoutClosingClient).
 */
export function boundedConnectionSettings(timeouts: ConnectionTimeouts = DEFAULT_CONNECTION_TIMEOUTS) {
  return {
    Client: TimeoutClosingClient,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * Connection settings for a session that must live outside the pool (LISTEN, session locks): the
 * pool's own, with the bounds of boundedConnectionSettings where the pool was created without them.
 */
export function connectionConfigOf(dataSource: DataSource): ClientConfig {
  const pool = (poolOf(dataSource) as unknown as { options: ClientConfig }).options;
  const bounded = boundedConnectionSettings();
  return {
    ...pool,
    connectionTimeoutMillis: pool.connectionTimeoutMillis ?? bounded.connectionTimeoutMillis,
    query_timeout: pool.query_timeout ?? bounded.query_timeout,
    keepAlive: true,
    keepAliveInitialDelayMillis: pool.keepAliveInitialDelayMillis ?? bounded.keepAliveInitialDelayMillis,
  };
}

/** Ends a session, or destroys its socket when the server does not answer the goodbye in time. */
export async function endSession(client: Client, timeoutMs = 1000): Promise<void> {
  if ((await settlesWithin(client.end(), timeoutMs)) === 'late') destroySession(client);
}

/** Closes a session's socket at once: for a client that never connected, or one that no longer answers. */
export function destroySession(client: Client): void {
  (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
}

/** The connection a transaction's manager runs on, or the pool for the default manager. */
export function connectionOf(dataSource: DataSource, manager: EntityManager): ClientBase | Pool | undefined {
  if (!manager.queryRunner) return poolOf(dataSource);
  return clientOfRunner(manager.queryRunner) as ClientBase | undefined;
}

const pgUtils = createRequire(__filename)('pg/lib/utils') as { prepareValue(value: unknown): unknown };

/** A query parameter as pg sends it in text form (dates, arrays, JSON as pg writes them); null for NULL. */
export function parameterText(value: unknown): string | null {
  const prepared = pgUtils.prepareValue(value);
  if (prepared === null || prepared === undefined) return null;
  if (Buffer.isBuffer(prepared)) return `\\x${prepared.toString('hex')}`;
  return String(prepared);
}
