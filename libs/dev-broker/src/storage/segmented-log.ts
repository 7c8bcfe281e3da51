import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrokerLogger } from '../logger';
import { type ByteChunks, lengthOf, splitChunks } from './byte-chunks';
import { type ReadBufferPool, type ReadLease, segmentReadBuffers } from './read-buffer-pool';
import { type BatchHeader, readBatch } from './record-batch';

/** Where a batch lies on disk: its segment (named by base offset) and byte position in it. */
export interface BatchLocation {
  readonly segment: number;
  readonly position: number;
}

export interface RecoveredBatch {
  readonly header: BatchHeader;
  readonly size: number;
  readonly location: BatchLocation;
}

export interface RecoveredLog {
  readonly file: SegmentedLog;
  readonly batches: readonly RecoveredBatch[];
  /** Where DeleteRecords or retention last moved the log start; 0 when never moved. */
  readonly startOffset: number;
}

interface Segment {
  readonly base: number;
  readonly path: string;
  fd: number;
  size: number;
  /** fdatasyncs running in the background; the fd is closed only once they are done. */
  syncs: number;
  closing: boolean;
}

const SUFFIX = '.log';
const START_CHECKPOINT = 'log-start-offset';

function segmentName(base: number): string {
  return `${String(base).padStart(20, '0')}${SUFFIX}`;
}

/**
 * One partition's log on disk as Kafka lays it out: a directory of segment files named by their
 * first offset, each holding record batches back to back with offsets assigned. A segment is
 * rolled once it reaches `segmentBytes`; whole segments below the log start are deleted. Appends
 * are written before they are acknowledged (they survive the broker process dying); fdatasync runs
 * in the background from the store's timer and when a segment is rolled, and on close, so a power
 * cut may lose the last second. Nothing on the produce path waits for the disk.
 */
export class SegmentedLog {
  private dirty = false;

  private constructor(
    private readonly dir: string,
    private readonly segments: Segment[],
    private readonly segmentBytes: number,
    private readonly readBuffers: ReadBufferPool,
  ) {}

  /** Opens every segment, keeping the longest valid prefix of the log; a torn or corrupt tail is cut off. */
  static open(
    dir: string,
    segmentBytes: number,
    logger: BrokerLogger,
    readBuffers = segmentReadBuffers,
  ): RecoveredLog {
    fs.mkdirSync(dir, { recursive: true });
    const names = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith(SUFFIX))
      .sort();
    const batches: RecoveredBatch[] = [];
    const segments: Segment[] = [];
    let expectedOffset: number | undefined;
    let damaged = false;
    for (const name of names) {
      const file = path.join(dir, name);
      if (damaged) {
        logger.warn(`dev-broker: ${file}: follows a damaged segment, deleting it`);
        fs.rmSync(file);
        continue;
      }
      const content = fs.readFileSync(file);
      let position = 0;
      while (position < content.length) {
        const read = readBatch(content, position);
        if (!read.ok || (expectedOffset !== undefined && read.header.baseOffset !== expectedOffset)) {
          const problem = read.ok ? 'offset gap' : read.problem;
          logger.warn(
            `dev-broker: ${file}: ${problem} at byte ${position}, truncating ${content.length - position} bytes`,
          );
          damaged = true;
          break;
        }
        const base = Number(name.slice(0, -SUFFIX.length));
        batches.push({ header: read.header, size: read.bytes.length, location: { segment: base, position } });
        expectedOffset = read.header.baseOffset + read.header.lastOffsetDelta + 1;
        position += read.bytes.length;
      }
      const fd = fs.openSync(file, fs.constants.O_RDWR);
      if (position < content.length) {
        fs.ftruncateSync(fd, position);
        fs.fsyncSync(fd);
      }
      segments.push({
        base: Number(name.slice(0, -SUFFIX.length)),
        path: file,
        fd,
        size: position,
        syncs: 0,
        closing: false,
      });
    }
    const checkpoint = path.join(dir, START_CHECKPOINT);
    const startOffset = fs.existsSync(checkpoint) ? Number(fs.readFileSync(checkpoint, 'utf8')) || 0 : 0;
    const log = new SegmentedLog(dir, segments, segmentBytes, readBuffers);
    if (segments.length === 0) log.roll(Math.max(startOffset, 0));
    return { file: log, batches, startOffset };
  }

  /**
   * Writes the batch's chunks with one writev. Synchronous so the file and the in-memory index never
   * disagree; on failure the segment is rolled back.
   */
  append(chunks: ByteChunks, baseOffset: number): BatchLocation {
    const length = lengthOf(chunks);
    let active = this.segments[this.segments.length - 1];
    if (active.size > 0 && active.size + length > this.segmentBytes) {
      this.syncInBackground(active);
      active = this.roll(baseOffset);
    }
    try {
      let pending: ByteChunks = chunks;
      for (let written = 0; written < length;) {
        const wrote = fs.writevSync(active.fd, pending, active.size + written);
        written += wrote;
        pending = splitChunks(pending, wrote)?.[1] ?? [];
      }
    } catch (error) {
      fs.ftruncateSync(active.fd, active.size);
      throw error;
    }
    const location = { segment: active.base, position: active.size };
    active.size += length;
    this.dirty = true;
    return location;
  }

  /** Into a pooled buffer: the caller releases the lease once nothing references its bytes. */
  read(location: BatchLocation, length: number): ReadLease {
    const segment = this.segments[this.indexOf(location.segment)];
    if (segment?.base !== location.segment)
      throw new Error(`segment ${location.segment} of ${this.dir} is gone`);
    const lease = this.readBuffers.acquire(length);
    try {
      let done = 0;
      while (done < length) {
        const read = fs.readSync(segment.fd, lease.bytes, done, length - done, location.position + done);
        if (read === 0) throw new Error(`${segment.path} ends before byte ${location.position + length}`);
        done += read;
      }
    } catch (error) {
      lease.release();
      throw error;
    }
    return lease;
  }

  /**
   * Records the new log start, then deletes the segments wholly below the first batch kept (all of
   * them, and starts an empty one, when none is kept). The checkpoint goes first: a crash in
   * between leaves segments that the next start skips.
   */
  dropHead(startOffset: number, firstKept: BatchLocation | undefined): void {
    replaceFile(path.join(this.dir, START_CHECKPOINT), Buffer.from(String(startOffset)));
    if (!firstKept && this.segments[this.segments.length - 1].size > 0) this.roll(startOffset);
    const keepFrom = firstKept ? this.indexOf(firstKept.segment) : this.segments.length - 1;
    const doomed = this.segments.splice(0, keepFrom);
    for (const segment of doomed) {
      closeWhenSynced(segment);
      fs.rmSync(segment.path, { force: true });
    }
  }

  /** Syncs the active segment in the background unless nothing was written since the last sync. */
  sync(): void {
    const active = this.segments[this.segments.length - 1];
    if (!this.dirty || active.syncs > 0) return;
    this.dirty = false;
    this.syncInBackground(active, () => (this.dirty = true));
  }

  close(): void {
    for (const segment of this.segments) {
      fs.fdatasyncSync(segment.fd);
      closeWhenSynced(segment);
    }
  }

  private roll(base: number): Segment {
    const file = path.join(this.dir, segmentName(base));
    const segment = { base, path: file, fd: fs.openSync(file, 'w+'), size: 0, syncs: 0, closing: false };
    this.segments.push(segment);
    return segment;
  }

  private syncInBackground(segment: Segment, onError?: () => void): void {
    segment.syncs++;
    fs.fdatasync(segment.fd, (error) => {
      segment.syncs--;
      if (error) onError?.();
      if (segment.closing && segment.syncs === 0) fs.close(segment.fd, () => undefined);
    });
  }

  /** Index of the segment holding offset-named `base`: the last whose base is at or below it. */
  private indexOf(base: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.segments[mid].base <= base) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/** A segment's fd is closed at once, or after its background syncs, which must not meet a reused fd. */
function closeWhenSynced(segment: Segment): void {
  if (segment.syncs > 0) segment.closing = true;
  else fs.closeSync(segment.fd);
}

/**
 * Moves a partition kept by earlier versions as one file, `<partition>.log` beside
 * `<partition>.log.start-offset`, into the segment directory as its first segment.
 */
export function adoptSingleFileLog(file: string, dir: string): void {
  if (!fs.existsSync(file)) return;
  fs.mkdirSync(dir, { recursive: true });
  const head = Buffer.alloc(8);
  const fd = fs.openSync(file, 'r');
  const read = fs.readSync(fd, head, 0, 8, 0);
  fs.closeSync(fd);
  const base = read === 8 ? Number(head.readBigInt64BE(0)) : 0;
  if (fs.existsSync(`${file}.start-offset`))
    fs.renameSync(`${file}.start-offset`, path.join(dir, START_CHECKPOINT));
  fs.renameSync(file, path.join(dir, segmentName(base)));
}

/** Written aside, synced and renamed, so the file is whole in either its old or its new form. */
function replaceFile(target: string, content: Buffer): void {
  const temporary = `${target}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    let written = 0;
    while (written < content.length) written += fs.writeSync(fd, content, written);
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, target);
}
