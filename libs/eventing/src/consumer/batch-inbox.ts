import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { inboxTransaction } from '../postgres/inbox-transaction';

/** Handles the not-yet-seen messages of a fetched batch in one inbox transaction. */
export type BatchHandler = (envelopes: readonly Envelope[], manager: EntityManager) => Promise<void>;

interface Waiting {
  readonly envelopes: readonly Envelope[];
  readonly done: () => void;
  readonly failed: (error: unknown) => void;
}

/**
 * Claims and handles batches in one inbox transaction. kafkajs hands a batch per partition, so a
 * consumer of many partitions (the trace reads every topic) would open a transaction per partition
 * per fetch; batches arriving within `lingerMs` of each other share one instead. Each caller's
 * promise settles only after the transaction that holds its messages committed, so its offsets are
 * never committed early. When the shared transaction fails, each batch is tried alone, so one bad
 * batch cannot fail its neighbours.
 */
export class BatchInbox {
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly inboxTable: string,
    private readonly consumer: string,
    private readonly handleBatch: BatchHandler,
    private readonly lingerMs: number,
  ) {}

  handle(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 0) return Promise.resolve();
    return new Promise<void>((done, failed) => {
      this.waiting.push({ envelopes, done, failed });
      this.timer ??= setTimeout(() => void this.flush(), this.lingerMs);
    });
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batches = this.waiting;
    this.waiting = [];
    try {
      await this.claimAndHandle(batches.flatMap((batch) => batch.envelopes));
      for (const batch of batches) batch.done();
      return;
    } catch (error) {
      if (batches.length === 1) return batches[0].failed(error);
    }
    for (const batch of batches) {
      await this.claimAndHandle(batch.envelopes).then(batch.done, batch.failed);
    }
  }

  private async claimAndHandle(envelopes: readonly Envelope[]): Promise<void> {
    const ids = envelopes.map((envelope) => envelope.messageId);
    await inboxTransaction(this.dataSource, this.inboxTable, this.consumer, ids, (fresh, manager) => {
      const unclaimed = new Set(fresh);
      // A message id seen twice (in one batch, or in two partitions' batches) is handled once, like a redelivery.
      return this.handleBatch(
        envelopes.filter((envelope) => unclaimed.delete(envelope.messageId)),
        manager,
      );
    });
  }
}
