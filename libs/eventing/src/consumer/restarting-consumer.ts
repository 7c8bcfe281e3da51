import type { Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
import { type BackoffPolicy, exponentialDelay } from '../retry/backoff';

export interface RestartingConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  /** Longest a fetch waits on idle partitions; brokers answer as soon as data arrives, so this bounds idle polling, not latency. */
  readonly maxWaitTimeInMs: number;
  /** The handler side of kafkajs's run(); offsets are always auto-committed after each batch. */
  readonly run: Omit<ConsumerRunConfig, 'autoCommit'>;
  readonly restartBackoff: BackoffPolicy;
  readonly onCrash: (error: Error, restartInMs: number) => void;
  /** Runs once the fresh consumer has joined, e.g. to seek; a failure counts as a crash. */
  readonly afterJoin?: (consumer: Consumer) => Promise<void>;
  /** How soon the group gives a silent member's partitions to the others; kafkajs's own defaults when absent. */
  readonly session?: GroupSession;
}

/**
 * A member that stops heartbeating (a killed process) keeps its partitions until `sessionTimeout`
 * passes, and nothing on them is consumed meanwhile, not even by its own restarted process.
 */
export interface GroupSession {
  readonly sessionTimeout: number;
  /** At most a third of the session, so one lost heartbeat does not cost a member its partitions. */
  readonly heartbeatInterval: number;
}

/**
 * A kafkajs group member that is run afresh, after a growing delay, whenever it crashes. kafkajs
 * restarts a crashed consumer only with restartOnFailure, and then cannot stop one still joining
 * (kafkajs#1639, #1147), so this class does the restarting and its stop waits for the join.
 */
export class RestartingConsumer {
  private consumer?: Consumer;
  private active = false;
  private stopping = false;
  private launching?: Promise<void>;
  private restartTimer?: NodeJS.Timeout;
  private crashes = 0;

  constructor(private readonly options: RestartingConsumerOptions) {}

  /** False before start, after stop, and from a crash until a fresh consumer has joined. */
  get running(): boolean {
    return this.active;
  }

  /** Resolves once joined, or crashed joining and will restart; throws if it cannot connect or subscribe. */
  start(): Promise<void> {
    this.stopping = false;
    return this.launch();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.active = false;
    clearTimeout(this.restartTimer);
    await this.launching?.catch(() => undefined);
    await this.consumer?.disconnect();
  }

  private launch(): Promise<void> {
    const launching = this.runConsumer();
    this.launching = launching;
    return launching.finally(() => {
      if (this.launching === launching) this.launching = undefined;
    });
  }

  private async runConsumer(): Promise<void> {
    const { kafka, groupId, topics, fromBeginning, maxWaitTimeInMs } = this.options;
    const consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs,
      ...this.options.session,
      allowAutoTopicCreation: false,
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    let crashed = false;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      crashed = true;
      this.active = false;
      this.restartAfter(consumer, payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning });
    // A crash while joining is reported by the CRASH event and run() still resolves.
    await consumer.run({ ...this.options.run, autoCommit: true });
    if (crashed || this.stopping) return;
    await this.options.afterJoin?.(consumer);
    this.crashes = 0;
    this.active = true;
  }

  private restartAfter(consumer: Consumer, error: Error): void {
    if (this.stopping || this.consumer !== consumer) return;
    this.crashes += 1;
    const delayMs = exponentialDelay(this.crashes, this.options.restartBackoff);
    this.options.onCrash(error, delayMs);
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.launch().catch(async (failure: unknown) => {
        const halfStarted = this.consumer as Consumer;
        await halfStarted.disconnect().catch(() => undefined);
        this.restartAfter(halfStarted, failure as Error);
      });
    }, delayMs);
  }
}
