import { ErrorCode } from '../protocol/error-codes';
import type { LogFile } from './log-file';
import { ProducerSequences } from './producer-sequences';
import { assignBaseOffset, BatchHeader, decodeHeader } from './record-batch';
import { firstRecordAtOrAfter, RecordTimestamp } from './record-timestamps';

interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly bytes: Buffer;
}

export interface AppendResult {
  readonly errorCode: ErrorCode;
  readonly baseOffset: number;
}

export interface ReadResult {
  readonly batches: readonly Buffer[];
  readonly size: number;
}

/** Keeping a small batch that is a view into a much larger socket buffer would pin that buffer. */
const MAX_RETAINED_OVERHEAD = 2;

/**
 * One partition: record batches as the producer sent them, with offsets assigned. The whole log
 * is held in memory; a LogFile, when present, makes it survive restarts.
 */
export class PartitionLog {
  private readonly batches: StoredBatch[] = [];
  private readonly sequences = new ProducerSequences();
  private readonly appendListeners = new Set<() => void>();
  private endOffset = 0;
  private startOffset = 0;
  private storedBytes = 0;
  private isClosed = false;

  constructor(private readonly file?: LogFile) {}

  /**
   * Replays batches recovered from the file, which already carry their offsets, and the log
   * start recorded when records were last deleted (it may lie inside or past those batches).
   */
  restore(batches: readonly Buffer[], recordedStart = 0): void {
    for (const bytes of batches) {
      const header = decodeHeader(bytes);
      this.sequences.record(header, header.baseOffset);
      this.store(bytes, header, header.baseOffset);
    }
    const start = Math.max(recordedStart, this.batches[0]?.baseOffset ?? 0);
    this.endOffset = Math.max(this.endOffset, start);
    this.startOffset = start;
    this.dropBatchesBelow(start);
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  /**
   * Moves the log start forward (DeleteRecords, retention). Whole batches below it are dropped;
   * the one it lands in stays, as Kafka keeps a segment, and readers skip its earlier records.
   */
  advanceStart(offset: number): void {
    if (offset <= this.startOffset) return;
    if (offset > this.endOffset) throw new Error(`log start ${offset} beyond log end ${this.endOffset}`);
    this.startOffset = offset;
    this.dropBatchesBelow(offset);
    this.file?.dropHead(
      offset,
      this.batches.map((b) => b.bytes),
    );
  }

  /**
   * The log start retention allows at `now`: batches are dropped from the head while their
   * newest record is older than `retentionMs`, or while the log stays at or above
   * `retentionBytes` without them (either -1 for no limit), as Kafka deletes segments.
   */
  retainedStart(now: number, retentionMs: number, retentionBytes: number): number {
    let size = this.storedBytes;
    let index = 0;
    for (; index < this.batches.length; index++) {
      const batch = this.batches[index];
      const expired = retentionMs >= 0 && now - batch.maxTimestamp > retentionMs;
      const oversized = retentionBytes >= 0 && size - batch.bytes.length >= retentionBytes;
      if (!expired && !oversized) break;
      size -= batch.bytes.length;
    }
    if (index === 0) return this.startOffset;
    return index === this.batches.length ? this.endOffset : this.batches[index].baseOffset;
  }

  get logEndOffset(): number {
    return this.endOffset;
  }

  highestProducerId(): number {
    return this.sequences.highestProducerId();
  }

  append(bytes: Buffer, header: BatchHeader): AppendResult {
    const check = this.sequences.check(header);
    if (check.kind === 'duplicate') return { errorCode: ErrorCode.NONE, baseOffset: check.baseOffset };
    if (check.kind === 'reject') return { errorCode: check.errorCode, baseOffset: -1 };
    const owned = bytes.buffer.byteLength > bytes.length * MAX_RETAINED_OVERHEAD ? Buffer.from(bytes) : bytes;
    const baseOffset = this.endOffset;
    assignBaseOffset(owned, baseOffset);
    this.file?.append(owned);
    this.sequences.record(header, baseOffset);
    this.store(owned, header, baseOffset);
    for (const listener of [...this.appendListeners]) listener();
    return { errorCode: ErrorCode.NONE, baseOffset };
  }

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes`. The first batch may instead
   * be as large as `firstBatchLimit`: a consumer cannot progress past a batch it never gets.
   */
  read(offset: number, maxBytes: number, firstBatchLimit: number): ReadResult {
    const batches: Buffer[] = [];
    let size = 0;
    for (let i = this.indexOf(offset); i < this.batches.length; i++) {
      const bytes = this.batches[i].bytes;
      const limit = batches.length === 0 ? Math.max(maxBytes, firstBatchLimit) : maxBytes;
      if (size + bytes.length > limit) break;
      batches.push(bytes);
      size += bytes.length;
    }
    return { batches, size };
  }

  offsetForTimestamp(timestamp: number): RecordTimestamp | undefined {
    const batch = this.batches.find((b) => b.maxTimestamp >= timestamp);
    if (!batch) return undefined;
    const found = firstRecordAtOrAfter(batch.bytes, decodeHeader(batch.bytes), timestamp);
    return found.offset < this.startOffset ? { ...found, offset: this.startOffset } : found;
  }

  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Wakes waiting fetches too, so they answer now instead of at their max wait. */
  close(): void {
    this.isClosed = true;
    this.file?.close();
    for (const listener of [...this.appendListeners]) listener();
  }

  sync(): void {
    this.file?.sync();
  }

  private store(bytes: Buffer, header: BatchHeader, baseOffset: number): void {
    const lastOffset = baseOffset + header.lastOffsetDelta;
    this.batches.push({ baseOffset, lastOffset, maxTimestamp: header.maxTimestamp, bytes });
    this.endOffset = lastOffset + 1;
    this.storedBytes += bytes.length;
  }

  private dropBatchesBelow(offset: number): void {
    const dropped = this.batches.splice(0, this.indexOf(offset));
    for (const batch of dropped) this.storedBytes -= batch.bytes.length;
  }

  /** Index of the first batch whose last offset is at or after `offset`. */
  private indexOf(offset: number): number {
    let low = 0;
    let high = this.batches.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.batches[mid].lastOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
