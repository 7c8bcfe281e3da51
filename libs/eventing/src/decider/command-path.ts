import type { EntityManager } from 'typeorm';
import type { EventStore } from '../event-store/event-store';
import type { AppendOptions, InlineProjector } from '../event-store/event-store.types';
import { VersionConflictError } from '../event-store/version-conflict.error';
import { afterCommit } from '../postgres/after-commit';
import { type BackoffPolicy, fullJitterDelay, sleep } from '../retry/backoff';
import type { Decider } from './decider';
import { type CommandResult, handleCommand, type LoadedStream, loadStream } from './handle-command';
import { KeyedQueue } from './keyed-queue';

export interface CommandPathConfig<Command, Event extends { readonly type: string }, State> {
  readonly decider: Decider<Command, Event, State>;
  readonly streamType: string;
  /** Bump when the shape of State changes, so stale snapshots are ignored. */
  readonly stateSchemaVersion?: number;
  /** Overrides the store's interval; 0 turns snapshots off for this stream type. */
  readonly snapshotEvery?: number;
  /** The schema version each event type is written with; else its contract's current one, else 1. */
  readonly eventSchemaVersions?: Readonly<Record<string, number>>;
  readonly topic?: AppendOptions['topic'];
  readonly outgoing?: AppendOptions['outgoing'];
  readonly projectors?: readonly InlineProjector[];
  /** The projectors only write (AppendOptions.batchableProjectors): their statements go with the append's. */
  readonly batchableProjectors?: boolean;
  /**
   * How often a command that lost the race for a version (another replica, or a transaction this
   * process does not queue) is decided again on the fresh state. Inside a caller's transaction each
   * attempt runs under a savepoint, so a retry there keeps the rest of the transaction. Default 1.
   */
  readonly attemptsOnConflict?: number;
  /** Waited (full jitter) before each retry, so two replicas racing for one stream stop colliding in lockstep. */
  readonly retryBackoff?: BackoffPolicy;
  /** A side effect of every committed command, e.g. a live push: after the caller's COMMIT when it has a transaction. */
  readonly afterCommit?: (result: CommandResult<Event, State>) => Promise<void>;
}

const RETRY_BACKOFF: BackoffPolicy = { initialDelayMs: 2, maxDelayMs: 25 };

export interface CommandOptions<State = unknown> {
  /** The caller's transaction: the command loads, appends and projects inside it. */
  readonly tx?: EntityManager;
  /** The version the caller last saw (If-Match): a stream that moved on is a VersionConflictError, never retried. */
  readonly expectedVersion?: number;
  /** Messages this one command causes besides the path's own, e.g. a saga reply (`SagaReplying.alongside`). */
  readonly outgoing?: AppendOptions['outgoing'];
  /** The stream is known to be empty (its id was minted by this command), so it is not read first. */
  readonly newStream?: boolean;
  /**
   * The stream as the caller just loaded it (`load`, in `tx`) to build the command: decided on
   * without reading it again. A race lost to another writer reads it afresh before the retry.
   */
  readonly loaded?: LoadedStream<State>;
}

/** The one way an aggregate is loaded and commanded in every context. */
export interface CommandPath<Command, Event extends { readonly type: string }, State> {
  readonly decider: Decider<Command, Event, State>;
  load(streamId: string, options?: { readonly tx?: EntityManager }): Promise<LoadedStream<State>>;
  execute(
    streamId: string,
    command: Command,
    options?: CommandOptions<State>,
  ): Promise<CommandResult<Event, State>>;
}

/**
 * Load → decide → append with the path's outbox messages and inline projections. Commands on one
 * stream are serialised inside the process (a caller's transaction is not queued: it may already
 * hold that stream's rows, and waiting for it from the queue could never end); a version lost to
 * another writer is retried `attemptsOnConflict` times, with or without a transaction.
 */
export function commandPath<Command, Event extends { readonly type: string }, State>(
  store: EventStore,
  config: CommandPathConfig<Command, Event, State>,
): CommandPath<Command, Event, State> {
  const queue = new KeyedQueue();
  const attempts = config.attemptsOnConflict ?? 1;
  const backoff = config.retryBackoff ?? RETRY_BACKOFF;
  const { decider, stateSchemaVersion = 1 } = config;

  const decideOnce = (
    streamId: string,
    command: Command,
    options: CommandOptions<State>,
    loaded: LoadedStream<State> | undefined,
  ) =>
    handleCommand({
      store,
      decider,
      streamId,
      streamType: config.streamType,
      command,
      stateSchemaVersion,
      snapshotEvery: config.snapshotEvery,
      eventSchemaVersions: config.eventSchemaVersions,
      topic: config.topic,
      outgoing: joinOutgoing(config.outgoing, options.outgoing),
      inlineProjectors: config.projectors,
      batchableProjectors: config.batchableProjectors,
      expectedVersion: options.newStream ? 0 : options.expectedVersion,
      knownEmpty: options.newStream,
      loaded,
      manager: options.tx,
    });

  const decideWithRetries = async (streamId: string, command: Command, options: CommandOptions<State>) => {
    const retryable = attempts > 1 && options.expectedVersion === undefined && !options.newStream;
    const savepoint = retryable && options.tx !== undefined;
    for (let attempt = 1; ; attempt += 1) {
      if (savepoint) await options.tx?.query('SAVEPOINT command_path');
      try {
        const result = await decideOnce(
          streamId,
          command,
          options,
          attempt === 1 ? options.loaded : undefined,
        );
        if (savepoint) await options.tx?.query('RELEASE SAVEPOINT command_path');
        return result;
      } catch (error) {
        if (savepoint) await options.tx?.query('ROLLBACK TO SAVEPOINT command_path');
        if (!retryable || !(error instanceof VersionConflictError) || attempt >= attempts) throw error;
        await sleep(fullJitterDelay(attempt, backoff));
      }
    }
  };

  return {
    decider,
    load: (streamId, { tx } = {}) => loadStream(store, decider, streamId, stateSchemaVersion, tx),
    async execute(streamId, command, options = {}) {
      const result = options.tx
        ? await decideWithRetries(streamId, command, options)
        : await queue.run(streamId, () => decideWithRetries(streamId, command, options));
      const sideEffect = config.afterCommit;
      if (sideEffect) await afterCommit(options.tx, () => sideEffect(result));
      return result;
    },
  };
}

function joinOutgoing(
  own: AppendOptions['outgoing'],
  extra: AppendOptions['outgoing'],
): AppendOptions['outgoing'] {
  if (!own || !extra) return own ?? extra;
  return (event) => [...own(event), ...extra(event)];
}
