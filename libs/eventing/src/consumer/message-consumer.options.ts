import type { Kafka } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import type { Upcaster } from '../event-store/upcaster';
import type { LoopHeartbeat } from '../health/loop-heartbeats';
import type { EventingInstrumentation } from '../observability/instrumentation';
import type { BackoffPolicy, RetryPolicy } from '../retry/backoff';
import type { GroupSession } from './restarting-consumer';
import type { ConsumerTelemetryOptions } from './telemetry';

/**
 * Runs in the inbox transaction: whatever it writes (including appends via `manager`) commits with
 * the inbox row. Other messages of the same fetch may share that transaction, so it writes through
 * `manager` only (a write on another connection could wait for a lock the shared transaction holds),
 * and what it does outside PostgreSQL goes through afterCommit or tolerates running again.
 */
export type MessageHandler = (envelope: Envelope, manager: EntityManager) => Promise<void>;

/** Handles the not-yet-seen messages of a batch in one call, in its transaction (see MessageConsumerOptions.handleBatch). */
export type BatchHandler = (envelopes: readonly Envelope[], manager: EntityManager) => Promise<void>;

export interface MessageConsumerOptions {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  readonly schema: string;
  /** Consumer group and inbox consumer name. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handle: MessageHandler;
  /**
   * For high-volume consumers whose handling is cheap per message (e.g. recording a trace): the
   * fresh messages of a batch go to one call instead of one `handle` per message, and the batches
   * of every partition of a fetch (all consumed at once) that arrive within `batchLingerMs` share
   * one transaction. When it fails, each partition's messages are handled again one at a time with
   * `handle`, retries and the DLQ. No consumer span per message.
   */
  readonly handleBatch?: BatchHandler;
  /** How long a fetched batch waits for other partitions' batches to share its transaction (5 ms). */
  readonly batchLingerMs?: number;
  /**
   * The handler's writes are idempotent by a key of their own (e.g. INSERT … ON CONFLICT DO
   * NOTHING on a unique index): no inbox row is claimed, and a redelivered message is handled
   * again (and counted as handled) with no effect.
   */
  readonly idempotent?: boolean;
  /**
   * Most messages of one partition's fetch handled by `handle` in one inbox transaction (50): one
   * BEGIN, claim and COMMIT for them all. When one fails they are all rolled back and handled one
   * per transaction, with retries and the DLQ. 1 gives every message its own transaction, for a
   * handler whose side effects outside PostgreSQL must not run again because a neighbour failed.
   */
  readonly maxBatchMessages?: number;
  readonly retry: RetryPolicy;
  /**
   * What turns an old contract version into the newest before `handle` sees it: the contracts'
   * upcasters when absent. A test plays a consumer of an older release with `[]`.
   */
  readonly upcasters?: readonly Upcaster[];
  /** Every type that may legitimately arrive; any other type is dead-lettered as invalid. */
  readonly knownTypes?: readonly string[];
  /**
   * The types `handle` acts on, when it ignores the others of its topics: those are acknowledged
   * without an inbox transaction or a telemetry record. Absent: every type is handled.
   */
  readonly handledTypes?: readonly string[];
  /**
   * Of the handled types, the messages `handle` acts on, told from the message alone (no I/O, its
   * personal fields still sealed), e.g. by an id the consumer's own service minted: the others are
   * acknowledged as an unhandled type is. Absent: every message of a handled type.
   */
  readonly handlesMessage?: (envelope: Envelope) => boolean;
  readonly instrumentation?: EventingInstrumentation;
  readonly fromBeginning?: boolean;
  /** Longest a fetch waits on idle partitions (100 ms): brokers answer as soon as data arrives, so this bounds idle polling, not latency. */
  readonly maxWaitTimeInMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Publishes a `MessageProcessed` record to `ops.telemetry` after each outcome, best effort.
   * Off when absent, and for a consumer of the telemetry topic itself (no records about records).
   */
  readonly telemetry?: ConsumerTelemetryOptions;
  /** Delay before running a fresh kafkajs consumer after one crashed; grows while crashes repeat. */
  readonly restartBackoff?: BackoffPolicy;
  /** Told about every crash (the consumer restarts by itself unless stopped); logs to stderr when absent. */
  readonly onCrash?: (error: Error, restartInMs: number) => void;
  /** Session and heartbeat of the group member (KAFKA_SESSION_TIMEOUT_MS, KAFKA_HEARTBEAT_INTERVAL_MS). */
  readonly session?: GroupSession;
  /** Marks each handling, so liveness sees a consumer stuck on a connection that never answers. */
  readonly heartbeat?: LoopHeartbeat;
}
