import type { EventStore } from '../event-store/event-store';
import type { StoredEvent } from '../event-store/event-store.types';

const MAX_GAP_RUN = 1000;

export interface ReplayPage {
  /** The events of the projection's stream types, in position order. */
  readonly events: readonly StoredEvent[];
  /** How many store rows the page covered, whatever their stream type. */
  readonly scanned: number;
  /** Moves the cursor past the page; call it once the page is projected for good. */
  readonly advance: () => void;
}

/**
 * Pages through the event store by global position without losing an event committed late.
 * Positions are taken when an append starts, so one may commit after a higher one was read: a
 * position skipped over is a gap that is read again on every page until it turns up or has stayed
 * empty for `gapSettleMs` (a rolled-back append leaves one for ever; a live one commits in far less).
 */
export class ReplayCursor {
  private position = 0;
  private readonly gaps = new Map<number, number>();

  constructor(
    private readonly store: EventStore,
    private readonly streamTypes: readonly string[],
    private readonly gapSettleMs = 30_000,
  ) {}

  get lastPosition(): number {
    return this.position;
  }

  /** Where the cursor stands, to go back to when what was projected since is rolled back. */
  checkpoint(): () => void {
    const position = this.position;
    const gaps = new Map(this.gaps);
    return () => {
      this.position = position;
      this.gaps.clear();
      for (const [gap, seenAt] of gaps) this.gaps.set(gap, seenAt);
    };
  }

  async read(limit: number, now = Date.now()): Promise<ReplayPage> {
    for (const [gap, seenAt] of this.gaps) if (now - seenAt > this.gapSettleMs) this.gaps.delete(gap);
    const rows = await this.store.readAll(this.position, limit, [...this.gaps.keys()]);
    const wanted = new Set(this.streamTypes);
    return {
      events: rows.filter((row) => wanted.has(row.streamType)),
      scanned: rows.length,
      advance: () => {
        let previous = this.position;
        for (const { globalPosition } of rows) {
          if (this.gaps.delete(globalPosition)) continue;
          // A jump longer than any burst of concurrent appends is a reset sequence, not appends in flight.
          const first = Math.max(previous + 1, globalPosition - MAX_GAP_RUN);
          for (let missing = first; missing < globalPosition; missing += 1) this.gaps.set(missing, now);
          previous = globalPosition;
        }
        this.position = previous;
      },
    };
  }
}
