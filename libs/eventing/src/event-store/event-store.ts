import { performance } from 'node:perf_hooks';
import { contractUpcasters } from '@tradecore/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { toKafkaRecord } from '../envelope/kafka-message';
import { metadataFromContext, withCurrentTrace } from '../envelope/message-context';
import { outboxChannel, quoteIdent } from '../migrations/sql-identifiers';
import type { LoopHeartbeat } from '../health/loop-heartbeats';
import { type EventingInstrumentation, noInstrumentation } from '../observability/instrumentation';
import { projectInSpan, SpanKind, traceHop } from '../observability/tracing';
import { wakesAfterCommit } from '../outbox/local-relays';
import { OutboxNotifier } from '../outbox/outbox-notifier';
import { afterCommit } from '../postgres/after-commit';
import { envelopeOfMessage, type OutgoingMessage } from '../outbox/outgoing-message';
import { queuedInOneRoundTrip } from '../postgres/one-round-trip-transaction';
import { prepared, type PreparedStatement, queryPrepared } from '../postgres/prepared-statement';
import { batchOf } from '../postgres/statement-batch';
import type { PersonalData } from '../privacy/personal-data';
import { appendParameters } from './append-parameters';
import { AppendStatements } from './append-statements';
import type {
  AppendOptions,
  AppendResult,
  NewEvent,
  Snapshot,
  StoredEvent,
  StreamFromSnapshot,
} from './event-store.types';
import { type Upcaster, type UpcasterChain, upcasterChain } from './upcaster';
import { VersionConflictError } from './version-conflict.error';
import { isStreamVersionViolation, toEnvelopes } from './new-envelopes';
import { EVENT_COLUMNS, envelopeOfRow, type EventRow } from './event-row';

export interface EventStoreOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  /** This service's own upcasters, after the contracts' (which every store applies). */
  readonly upcasters?: readonly Upcaster[];
  readonly instrumentation?: EventingInstrumentation;
  /** Default snapshot interval for the command path; 0 or absent means no snapshots. */
  readonly snapshotEvery?: number;
  /** Marks each wake-up NOTIFY, so liveness sees one stuck on a connection that never answers. */
  readonly notifierHeartbeat?: LoopHeartbeat;
  /** Seals personal fields in stored events and what the outbox publishes; opens them on read. */
  readonly personalData?: PersonalData;
}

export class EventStore {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly snapshotEvery: number;
  readonly personalData?: PersonalData;
  readonly instrumentation: EventingInstrumentation;
  private readonly upcast: UpcasterChain;
  private readonly table: { events: string; snapshots: string; outbox: string };
  private readonly notifier: OutboxNotifier;
  private readonly appendStatements: AppendStatements;
  private readonly loadStatement: PreparedStatement;

  constructor(options: EventStoreOptions) {
    this.dataSource = options.dataSource;
    this.schema = options.schema;
    this.snapshotEvery = options.snapshotEvery ?? 0;
    this.personalData = options.personalData;
    this.instrumentation = options.instrumentation ?? noInstrumentation;
    this.upcast = upcasterChain([...contractUpcasters, ...(options.upcasters ?? [])]);
    const s = quoteIdent(options.schema);
    this.table = { events: `${s}.events`, snapshots: `${s}.snapshots`, outbox: `${s}.outbox` };
    this.appendStatements = new AppendStatements(
      this.table.events,
      this.table.outbox,
      outboxChannel(options.schema),
    );
    this.loadStatement = prepared(
      'eventing_load',
      `WITH snapshot AS (SELECT version, state FROM ${this.table.snapshots} WHERE stream_id = $1 AND schema_version = $2)
       SELECT version, NULL AS type, NULL::int AS schema_version, state AS payload FROM snapshot
       UNION ALL
       SELECT version, type, schema_version, payload FROM ${this.table.events}
       WHERE stream_id = $1 AND version > COALESCE((SELECT version FROM snapshot), 0)
       ORDER BY version`,
    );
    this.notifier = new OutboxNotifier(options.dataSource, options.schema, options.notifierHeartbeat);
  }

  /**
   * Appends events at expectedVersion+1.. together with their outbox rows and inline projections,
   * atomically, then wakes the relay. Without projectors or a caller's transaction it is one
   * statement, which PostgreSQL commits as one transaction in a single round trip, and so is it
   * with batchable projectors: the append and their statements sent together as one simple query.
   */
  append(
    streamId: string,
    streamType: string,
    expectedVersion: number,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) return Promise.resolve({ streamId, version: expectedVersion, envelopes: [] });
    const attributes = { 'tradecore.stream_id': streamId, 'tradecore.stream_type': streamType };
    // The append creates the messages: they carry its span, which their consumers continue.
    return traceHop({ name: `append ${streamType}`, kind: SpanKind.PRODUCER, attributes }, async () => {
      const started = performance.now();
      const envelopes = toEnvelopes(
        streamId,
        expectedVersion,
        events,
        options.metadata ? withCurrentTrace(options.metadata) : metadataFromContext(),
      );
      const projectors = options.inlineProjectors ?? [];
      // In a caller's transaction only a NOTIFY in the statement surely follows its commit (see wakesAfterCommit).
      const notify = !!options.manager && !wakesAfterCommit(options.manager, this.dataSource, this.schema);
      const write = async (manager: EntityManager) => {
        const queued = await this.insert(manager, streamType, expectedVersion, envelopes, options, notify);
        for (const envelope of envelopes)
          for (const project of projectors) await projectInSpan(envelope, () => project(envelope, manager));
        return queued;
      };
      try {
        if (options.manager) {
          const queued = await write(options.manager);
          if (queued > 0 && !notify)
            await afterCommit(options.manager, async () => this.notifier.afterCommit());
        } else {
          const queued =
            projectors.length === 0
              ? await write(this.dataSource.manager)
              : options.batchableProjectors && !this.personalData
                ? await queuedInOneRoundTrip(this.dataSource, write)
                : await this.dataSource.transaction(write);
          if (queued > 0) this.notifier.afterCommit();
        }
      } catch (error) {
        if (!(error instanceof VersionConflictError) && !isStreamVersionViolation(error)) throw error;
        this.instrumentation.versionConflict(streamType);
        // The writer that won has committed, so the version read outside this transaction is the one to report.
        throw new VersionConflictError(streamId, expectedVersion, await this.currentVersion(streamId));
      }
      this.instrumentation.appended(streamType, envelopes.length, performance.now() - started);
      return { streamId, version: expectedVersion + envelopes.length, envelopes };
    });
  }

  /**
   * Queues messages that are not events (saga commands and replies) in the outbox. Inside a
   * caller's transaction they leave only if it commits; the envelopes inherit the context's metadata.
   */
  async send(messages: readonly OutgoingMessage[], manager?: EntityManager): Promise<Envelope[]> {
    const envelopes = messages.map(envelopeOfMessage);
    if (envelopes.length === 0) return envelopes;
    const rows = envelopes.map((envelope, index) => {
      const { value, headers } = toKafkaRecord(envelope);
      return [messages[index].topic, envelope.streamId, value, JSON.stringify(headers)];
    });
    const values = rows.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`);
    const insert = `INSERT INTO ${this.table.outbox} (topic, key, envelope, headers) VALUES ${values.join(', ')}`;
    if (manager && !wakesAfterCommit(manager, this.dataSource, this.schema)) {
      await manager.query(
        `WITH queued AS (${insert} RETURNING 1) SELECT pg_notify($${rows.length * 4 + 1}, '') FROM queued LIMIT 1`,
        [...rows.flat(), outboxChannel(this.schema)],
      );
    } else {
      await (manager ?? this.dataSource).query(insert, rows.flat());
      await afterCommit(manager, async () => this.notifier.afterCommit());
    }
    return envelopes;
  }

  async currentVersion(streamId: string): Promise<number> {
    const rows: { version: number | null }[] = await this.dataSource.query(
      `SELECT max(version) AS version FROM ${this.table.events} WHERE stream_id = $1`,
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  /** With `manager`, reads inside that transaction instead of taking a second pooled connection. */
  readStream(streamId: string, fromVersion = 1, manager = this.dataSource.manager): Promise<Envelope[]> {
    return this.readWhere(manager, 'stream_id = $1 AND version >= $2 ORDER BY version', [
      streamId,
      fromVersion,
    ]);
  }

  /** The events of these streams (of these types), interleaved in the order they were stored. */
  readStreams(ids: readonly string[], types: readonly string[], manager = this.dataSource.manager) {
    return this.readWhere(manager, 'stream_id = ANY($1) AND stream_type = ANY($2) ORDER BY 1', [ids, types]);
  }

  private async readWhere(manager: EntityManager, where: string, params: unknown[]): Promise<Envelope[]> {
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${this.table.events} WHERE ${where}`;
    const rows: EventRow[] = await manager.query(sql, params);
    return Promise.all(rows.map((row) => this.open(envelopeOfRow(row, this.upcast), manager)));
  }

  /**
   * Events after a global position (and at `alsoAt`: gaps a rebuild checks again), for projection
   * rebuilds that page through the whole store. Concurrent writers may commit positions out of
   * order, so this is for rebuilds, not for tailing.
   */
  async readAll(
    afterPosition: number,
    limit: number,
    alsoAt: readonly number[] = [],
  ): Promise<StoredEvent[]> {
    // Apart, so the page stays an index range scan (an OR of both scans and sorts the rest of the store).
    const after = `SELECT ${EVENT_COLUMNS} FROM ${this.table.events} WHERE global_position > $1 ORDER BY 1 LIMIT $2`;
    const gaps = `SELECT ${EVENT_COLUMNS} FROM ${this.table.events} WHERE global_position = ANY($3)`;
    const rows: EventRow[] = await this.dataSource.query(
      alsoAt.length === 0 ? after : `SELECT * FROM ((${gaps}) UNION ALL (${after})) page ORDER BY 1 LIMIT $2`,
      alsoAt.length === 0 ? [afterPosition, limit] : [afterPosition, limit, alsoAt],
    );
    return Promise.all(
      rows.map(async (row) => ({
        globalPosition: Number(row.global_position),
        streamType: row.stream_type,
        envelope: await this.open(envelopeOfRow(row, this.upcast)),
      })),
    );
  }

  async saveSnapshot<State>(
    snapshot: Snapshot<State>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table.snapshots} (stream_id, version, state, schema_version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state,
         schema_version = EXCLUDED.schema_version, taken_at = now()
       WHERE ${this.table.snapshots}.version < EXCLUDED.version OR ${this.table.snapshots}.schema_version <> EXCLUDED.schema_version`,
      [snapshot.streamId, snapshot.version, JSON.stringify(snapshot.state), snapshot.schemaVersion],
    );
  }

  /** The latest snapshot of the given state shape and the events after it, in one round trip. */
  async readFromSnapshot<State>(
    streamId: string,
    stateSchemaVersion: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StreamFromSnapshot<State>> {
    const rows = (await queryPrepared(manager, this.loadStatement, [streamId, stateSchemaVersion])) as {
      version: number;
      type: string | null;
      schema_version: number;
      payload: unknown;
    }[];
    const snapshot =
      rows[0]?.type === null ? { version: rows[0].version, state: rows[0].payload as State } : undefined;
    const events = (snapshot ? rows.slice(1) : rows).map((row) => ({
      type: row.type!,
      streamVersion: row.version,
      payload: this.upcast(row.type!, row.schema_version, row.payload).payload,
    }));
    return { snapshot, events: await Promise.all(events.map((event) => this.open(event, manager))) };
  }

  async loadSnapshot<State>(
    streamId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Snapshot<State> | undefined> {
    const rows: { version: number; state: State; schema_version: number }[] = await manager.query(
      `SELECT version, state, schema_version FROM ${this.table.snapshots} WHERE stream_id = $1`,
      [streamId],
    );
    const row = rows[0];
    return row && { streamId, version: row.version, state: row.state, schemaVersion: row.schema_version };
  }

  /** Inserts the events and their outbox rows; returns how many outbox rows were written. */
  private async insert(
    manager: EntityManager,
    streamType: string,
    expectedVersion: number,
    envelopes: readonly Envelope[],
    options: AppendOptions,
    notify: boolean,
  ): Promise<number> {
    const append = { streamType, expectedVersion, envelopes };
    const { params, outboxRows } = await appendParameters(manager, this.personalData, append, options);
    const batched = !!batchOf(manager);
    const shape = { events: envelopes.length, outboxRows, notify, refusesByError: batched };
    const inserted = await queryPrepared(manager, this.appendStatements.for(shape), params);
    // The guard makes an append at a version the stream has not reached insert nothing, rather than leave a gap.
    if (inserted.length === 0 && !batched)
      throw new VersionConflictError(envelopes[0].streamId, expectedVersion, -1);
    return outboxRows;
  }

  /** The message with the personal fields it carries opened, if this service holds their key. */
  open<M extends { type: string; payload: unknown }>(message: M, manager?: EntityManager): Promise<M> {
    return this.personalData ? this.personalData.open(message, manager) : Promise.resolve(message);
  }
}
