import type { EachBatchPayload, EachMessagePayload } from 'kafkajs';
import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError } from '../envelope/kafka-message';
import type { LoopHeartbeat } from '../health/loop-heartbeats';
import { traceHop } from '../observability/tracing';
import { inboxTransaction } from '../postgres/inbox-transaction';
import { consumeHop } from './consume-hop';
import type { MessageConsumerOptions } from './message-consumer.options';

type Message = EachMessagePayload['message'];
export type FetchOutcome = 'handled' | 'duplicate';

const DEFAULT_MAX_BATCH_MESSAGES = 50;

export interface Settled {
  readonly topic: string;
  readonly partition: number;
  readonly message: Message;
  readonly envelope: Envelope;
  readonly outcome: FetchOutcome;
  readonly startedAt: number;
  readonly durationMs: number;
}

export interface FetchCallbacks {
  /** Throws InvalidMessageError for a message the one-message path dead-letters. */
  parse(message: Message): Envelope;
  handles(envelope: Envelope): boolean;
  /** Today's path: one message, its own transaction, retries, outage waits and the DLQ. */
  consumeOne(payload: EachMessagePayload): Promise<void>;
  /** Told of each message once the transaction holding it committed. */
  settled(settled: Settled): Promise<void>;
}

type FetchOptions = Pick<
  MessageConsumerOptions,
  'dataSource' | 'groupId' | 'handle' | 'handleBatch' | 'batchLingerMs' | 'maxBatchMessages'
>;

interface Joining {
  readonly envelopes: readonly Envelope[];
  readonly done: (outcomes: FetchOutcome[]) => void;
  readonly failed: (error: unknown) => void;
}

/**
 * Takes a partition's fetch `maxBatchMessages` at a time, each slice in one inbox transaction: one
 * BEGIN with the claim of every id, each fresh message's handler in order, one COMMIT, instead of
 * those round trips per message. A slice that cannot go together (one message, an invalid one, a
 * handler that throws) is rolled back and handled one message at a time exactly as before. Offsets
 * are resolved only for what committed, so stopping mid-fetch leaves the rest to be delivered again.
 * With a batch handler even one message goes together, and the slices of partitions consumed at
 * once join one transaction (the trace reads every partition of every topic: a transaction per
 * partition per fetch would be most of its cost); each slice settles once that one committed.
 */
export class FetchBatches {
  private readonly size: number;
  /** Fewest messages worth a transaction of their own: a lone message takes the one-message path, unless batches join. */
  private readonly least: number;
  private joining: Joining[] = [];
  private joinTimer?: NodeJS.Timeout;

  constructor(
    private readonly options: FetchOptions,
    private readonly inboxTable: string | undefined,
    private readonly loop: LoopHeartbeat,
    private readonly callbacks: FetchCallbacks,
  ) {
    this.size = Math.max(1, options.maxBatchMessages ?? DEFAULT_MAX_BATCH_MESSAGES);
    this.least = options.handleBatch ? 1 : 2;
  }

  readonly consume = async (payload: EachBatchPayload): Promise<void> => {
    const { batch, resolveOffset, heartbeat, pause, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const stopped = () => !isRunning() || isStale();
    for (let from = 0; from < batch.messages.length; from += this.size) {
      if (stopped()) return;
      const slice = batch.messages.slice(from, from + this.size);
      if (await this.together(topic, partition, slice, heartbeat)) {
        resolveOffset(slice[slice.length - 1].offset);
        await heartbeat();
        continue;
      }
      for (const message of slice) {
        if (stopped()) return;
        await this.callbacks.consumeOne({ topic, partition, message, heartbeat, pause });
        resolveOffset(message.offset);
        await heartbeat();
      }
    }
    // Past the last message too: a transaction's control record may end a fetch without reaching us.
    if (!stopped()) resolveOffset(batch.lastOffset());
  };

  /** False when nothing was done and the messages are to be handled one at a time. */
  private async together(
    topic: string,
    partition: number,
    messages: readonly Message[],
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    if (messages.length < this.least) return false;
    const startedAt = Date.now();
    const started = performance.now();
    const parsed: { message: Message; envelope: Envelope }[] = [];
    for (const message of messages) {
      let envelope: Envelope;
      try {
        envelope = this.callbacks.parse(message);
      } catch (error) {
        if (error instanceof InvalidMessageError) return false;
        throw error;
      }
      if (this.callbacks.handles(envelope)) parsed.push({ message, envelope });
    }
    if (parsed.length === 0) return true;
    if (parsed.length < this.least) return false;
    const done = this.loop.begin();
    let outcomes: FetchOutcome[];
    const envelopes = parsed.map(({ envelope }) => envelope);
    try {
      outcomes = this.options.handleBatch
        ? await this.join(envelopes)
        : await this.handleInOneTransaction(envelopes, heartbeat);
    } catch {
      return false;
    } finally {
      done();
    }
    const durationMs = (performance.now() - started) / parsed.length;
    for (const [index, { message, envelope }] of parsed.entries()) {
      const outcome = outcomes[index];
      await this.callbacks.settled({ topic, partition, message, envelope, outcome, startedAt, durationMs });
    }
    return true;
  }

  /** Waits up to `batchLingerMs` for the other partitions' slices, then handles them all in one transaction. */
  private join(envelopes: readonly Envelope[]): Promise<FetchOutcome[]> {
    return new Promise((done, failed) => {
      this.joining.push({ envelopes, done, failed });
      this.joinTimer ??= setTimeout(() => void this.handleJoined(), this.options.batchLingerMs ?? 5);
    });
  }

  private async handleJoined(): Promise<void> {
    this.joinTimer = undefined;
    const joined = this.joining;
    this.joining = [];
    let outcomes: FetchOutcome[];
    try {
      outcomes = await this.handleInOneTransaction(
        joined.flatMap((slice) => slice.envelopes),
        async () => undefined,
      );
    } catch (error) {
      for (const slice of joined) slice.failed(error);
      return;
    }
    let from = 0;
    for (const slice of joined) slice.done(outcomes.slice(from, (from += slice.envelopes.length)));
  }

  /**
   * Each handler runs in its own message's hop (context, causation, trace); what it queues with
   * afterCommit runs after the one COMMIT. A message id seen twice is handled once, like a redelivery.
   */
  private async handleInOneTransaction(
    envelopes: readonly Envelope[],
    betweenMessages: () => Promise<void>,
  ): Promise<FetchOutcome[]> {
    const { dataSource, groupId, handle, handleBatch } = this.options;
    const outcomes: FetchOutcome[] = envelopes.map(() => 'duplicate');
    const ids = envelopes.map((envelope) => envelope.messageId);
    await inboxTransaction(dataSource, this.inboxTable, groupId, ids, async (fresh, manager) => {
      const unclaimed = new Set(fresh);
      const handling: Envelope[] = [];
      for (const [index, envelope] of envelopes.entries()) {
        if (!unclaimed.delete(envelope.messageId)) continue;
        outcomes[index] = 'handled';
        if (handleBatch) {
          handling.push(envelope);
          continue;
        }
        await traceHop(consumeHop(groupId, envelope), () => handle(envelope, manager));
        await betweenMessages();
      }
      if (handleBatch) await handleBatch(handling, manager);
    });
    return outcomes;
  }
}
