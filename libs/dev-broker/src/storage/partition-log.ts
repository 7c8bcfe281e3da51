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
  private isClosed = false;

  constructor(private readonly file?: LogFile) {}

  /** Replays batches recovered from the file, which already carry their offsets. */
  restore(batches: readonly Buffer[]): void {
    for (const bytes of batches) {
      const header = decodeHeader(bytes);
      this.sequences.record(header, header.baseOffset);
      this.store(bytes, header, header.baseOffset);
    }
  }

  get logStartOffset(): number {
    return this.batches.length === 0 ? this.endOffset : this.batches[0].baseOffset;
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
    return firstRecordAtOrAfter(batch.bytes, decodeHeader(batch.bytes), timestamp);
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
