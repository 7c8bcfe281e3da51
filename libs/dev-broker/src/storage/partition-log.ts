import { ErrorCode } from '../protocol/error-codes';
import { type ByteChunks, lengthOf } from './byte-chunks';
import { ProducerSequences } from './producer-sequences';
import { assignBaseOffset, type BatchHeader, decodeHeader } from './record-batch';
import type { ReadLease } from './read-buffer-pool';
import { firstRecordAtOrAfter, type RecordTimestamp } from './record-timestamps';
import type { BatchLocation, RecoveredBatch, SegmentedLog } from './segmented-log';

/** A batch's place in the log; its bytes stay in memory only without a file, or while in the tail cache. */
interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly size: number;
  readonly location?: BatchLocation;
  bytes?: Buffer;
}

export interface AppendResult {
  readonly errorCode: ErrorCode;
  readonly baseOffset: number;
}

export interface ReadResult {
  readonly batches: readonly Buffer[];
  readonly size: number;
  /**
   * Batches read back from a segment lie in pooled buffers: call once nothing references them any
   * more (the socket write that carries them completed, or the answer was dropped). Absent when
   * every batch came from memory.
   */
  readonly release?: () => void;
}

interface Gathered {
  readonly buffers: Buffer[];
  readonly leases: ReadLease[];
}

/** Keeping a small batch that is a view into a much larger socket buffer would pin that buffer. */
const MAX_RETAINED_OVERHEAD = 2;

/** Bytes of the newest batches a file-backed partition keeps in memory, so consumers at the tail skip the disk. */
export const TAIL_CACHE_BYTES = 1024 * 1024;

/**
 * One partition: record batches as the producer sent them, with offsets assigned. Without a file
 * the batches are held in memory; with one, memory holds an index entry per batch and the newest
 * TAIL_CACHE_BYTES, and everything else is read back from the segments on demand.
 */
export class PartitionLog {
  private readonly batches: StoredBatch[] = [];
  private readonly sequences = new ProducerSequences();
  private readonly appendListeners = new Set<() => void>();
  private endOffset = 0;
  private startOffset = 0;
  private storedBytes = 0;
  private cachedBytes = 0;
  /** Index of the oldest batch whose bytes are still cached (file-backed logs only). */
  private firstCached = 0;
  private isClosed = false;

  constructor(private readonly file?: SegmentedLog) {}

  /**
   * Replays the index of batches recovered from the segments, which already carry their offsets,
   * and the log start recorded when records were last deleted (it may lie inside or past them).
   */
  restore(batches: readonly RecoveredBatch[], recordedStart = 0): void {
    for (const { header, size, location } of batches) {
      this.sequences.record(header, header.baseOffset);
      this.store(header, header.baseOffset, size, { location });
    }
    this.firstCached = this.batches.length;
    const start = Math.max(recordedStart, this.batches[0]?.baseOffset ?? 0);
    this.endOffset = Math.max(this.endOffset, start);
    this.startOffset = start;
    this.dropBatchesBelow(start);
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.endOffset;
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
    this.file?.dropHead(offset, this.batches[0]?.location);
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
      const oversized = retentionBytes >= 0 && size - batch.size >= retentionBytes;
      if (!expired && !oversized) break;
      size -= batch.size;
    }
    if (index === 0) return this.startOffset;
    return index === this.batches.length ? this.endOffset : this.batches[index].baseOffset;
  }

  highestProducerId(): number {
    return this.sequences.highestProducerId();
  }

  /**
   * Appends one batch, assigning its base offset in place. A batch in one buffer is kept in memory
   * (a file-backed log keeps it in its tail cache); a batch spread over the socket reads it came in
   * goes to the segment from them as it is, uncopied, and readers get it from there (an in-memory
   * log gathers it).
   */
  append(chunks: ByteChunks, header: BatchHeader): AppendResult {
    const check = this.sequences.check(header);
    if (check.kind === 'duplicate') return { errorCode: ErrorCode.NONE, baseOffset: check.baseOffset };
    if (check.kind === 'reject') return { errorCode: check.errorCode, baseOffset: -1 };
    const kept = chunks.length === 1 || !this.file ? ownCopy(chunks) : undefined;
    const written = kept ? [kept] : chunks;
    const baseOffset = this.endOffset;
    assignBaseOffset(written, baseOffset);
    const location = this.file?.append(written, baseOffset);
    this.sequences.record(header, baseOffset);
    this.store(header, baseOffset, lengthOf(written), { location, bytes: kept });
    for (const listener of [...this.appendListeners]) listener();
    return { errorCode: ErrorCode.NONE, baseOffset };
  }

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes`. The first batch may instead
   * be as large as `firstBatchLimit`: a consumer cannot progress past a batch it never gets.
   */
  read(offset: number, maxBytes: number, firstBatchLimit: number): ReadResult {
    const chosen: StoredBatch[] = [];
    let size = 0;
    for (let i = this.indexOf(offset); i < this.batches.length; i++) {
      const batch = this.batches[i];
      const limit = chosen.length === 0 ? Math.max(maxBytes, firstBatchLimit) : maxBytes;
      if (size + batch.size > limit) break;
      chosen.push(batch);
      size += batch.size;
    }
    const { buffers, leases } = this.bytesOf(chosen);
    if (leases.length === 0) return { batches: buffers, size };
    return { batches: buffers, size, release: () => leases.forEach((lease) => lease.release()) };
  }

  offsetForTimestamp(timestamp: number): RecordTimestamp | undefined {
    const batch = this.batches.find((b) => b.maxTimestamp >= timestamp);
    if (!batch) return undefined;
    const { buffers, leases } = this.bytesOf([batch]);
    const [bytes] = buffers;
    const found = firstRecordAtOrAfter(bytes, decodeHeader(bytes), timestamp);
    for (const lease of leases) lease.release();
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

  /** Cached bytes where there are some; runs of uncached batches adjacent in one segment are read in one go. */
  private bytesOf(batches: readonly StoredBatch[]): Gathered {
    const result: Buffer[] = [];
    const leases: ReadLease[] = [];
    for (let i = 0; i < batches.length;) {
      const first = batches[i];
      if (first.bytes || !first.location || !this.file) {
        result.push(first.bytes as Buffer);
        i++;
        continue;
      }
      let end = i + 1;
      let length = first.size;
      while (end < batches.length && adjacent(batches[end - 1], batches[end]) && !batches[end].bytes) {
        length += batches[end].size;
        end++;
      }
      const run = this.file.read(first.location, length);
      leases.push(run);
      for (let position = 0; i < end; i++) {
        result.push(run.bytes.subarray(position, position + batches[i].size));
        position += batches[i].size;
      }
    }
    return { buffers: result, leases };
  }

  private store(header: BatchHeader, baseOffset: number, size: number, place: Partial<StoredBatch>): void {
    const lastOffset = baseOffset + header.lastOffsetDelta;
    this.batches.push({ baseOffset, lastOffset, maxTimestamp: header.maxTimestamp, size, ...place });
    this.endOffset = lastOffset + 1;
    this.storedBytes += size;
    if (!this.file) return;
    if (!place.bytes) {
      this.uncacheAll();
      return;
    }
    this.cachedBytes += size;
    while (this.cachedBytes > TAIL_CACHE_BYTES && this.firstCached < this.batches.length - 1) {
      const evicted = this.batches[this.firstCached++];
      this.cachedBytes -= evicted.size;
      evicted.bytes = undefined;
    }
  }

  /** The cache is a contiguous run of the newest batches: a batch stored without bytes ends it. */
  private uncacheAll(): void {
    for (let i = this.firstCached; i < this.batches.length; i++) this.batches[i].bytes = undefined;
    this.cachedBytes = 0;
    this.firstCached = this.batches.length;
  }

  private dropBatchesBelow(offset: number): void {
    const count = this.indexOf(offset);
    const dropped = this.batches.splice(0, count);
    for (const [index, batch] of dropped.entries()) {
      this.storedBytes -= batch.size;
      if (this.file && index >= this.firstCached) this.cachedBytes -= batch.size;
    }
    this.firstCached = Math.max(0, this.firstCached - count);
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

/** One buffer to keep: the batch itself unless it would pin a much larger socket buffer, or lies in several. */
function ownCopy(chunks: ByteChunks): Buffer {
  const [only] = chunks;
  if (chunks.length === 1 && only.buffer.byteLength <= only.length * MAX_RETAINED_OVERHEAD) return only;
  return Buffer.concat(chunks);
}

function adjacent(previous: StoredBatch, next: StoredBatch): boolean {
  const a = previous.location;
  const b = next.location;
  return !!a && !!b && a.segment === b.segment && a.position + previous.size === b.position;
}
