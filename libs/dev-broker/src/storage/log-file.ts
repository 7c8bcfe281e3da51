import * as fs from 'node:fs';
import type { BrokerLogger } from '../logger';
import { readBatch } from './record-batch';

export interface RecoveredLog {
  readonly file: LogFile;
  readonly batches: readonly Buffer[];
  /** Where DeleteRecords or retention last moved the log start; 0 when never moved. */
  readonly startOffset: number;
}

/**
 * One partition's log on disk in Kafka's own segment layout: record batches back to back with
 * their offsets assigned. Appends are written before they are acknowledged (they survive the
 * broker process dying); fsync runs from the store's timer and on close, so a power cut may
 * lose the last second.
 */
export class LogFile {
  private dirty = false;
  private syncing = false;

  private constructor(
    private readonly path: string,
    private fd: number,
    private size: number,
  ) {}

  /** Opens the file, keeping the longest valid prefix; a torn or corrupt tail is cut off. */
  static open(path: string, logger: BrokerLogger): RecoveredLog {
    const content = fs.existsSync(path) ? fs.readFileSync(path) : Buffer.alloc(0);
    const batches: Buffer[] = [];
    let position = 0;
    let expectedOffset: number | undefined;
    while (position < content.length) {
      const read = readBatch(content, position);
      if (!read.ok || (expectedOffset !== undefined && read.header.baseOffset !== expectedOffset)) {
        const problem = read.ok ? 'offset gap' : read.problem;
        logger.warn(
          `dev-broker: ${path}: ${problem} at byte ${position}, truncating ${content.length - position} bytes`,
        );
        break;
      }
      batches.push(read.bytes);
      expectedOffset = read.header.baseOffset + read.header.lastOffsetDelta + 1;
      position += read.bytes.length;
    }
    const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT);
    if (position < content.length) {
      fs.ftruncateSync(fd, position);
      fs.fsyncSync(fd);
    }
    const checkpoint = `${path}${START_SUFFIX}`;
    const startOffset = fs.existsSync(checkpoint) ? Number(fs.readFileSync(checkpoint, 'utf8')) || 0 : 0;
    return { file: new LogFile(path, fd, position), batches, startOffset };
  }

  /**
   * Records the new log start, then rewrites the file without the batches below it. The
   * checkpoint goes first: a crash in between leaves batches that the next start skips.
   */
  dropHead(startOffset: number, remaining: readonly Buffer[]): void {
    replaceFile(`${this.path}${START_SUFFIX}`, [Buffer.from(String(startOffset))]);
    replaceFile(this.path, remaining);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.path, fs.constants.O_RDWR);
    this.size = remaining.reduce((sum, bytes) => sum + bytes.length, 0);
    this.dirty = false;
  }

  /** Synchronous so the file and the in-memory index never disagree; on failure the file is rolled back. */
  append(bytes: Buffer): void {
    try {
      let written = 0;
      while (written < bytes.length) {
        written += fs.writeSync(this.fd, bytes, written, bytes.length - written, this.size + written);
      }
    } catch (error) {
      fs.ftruncateSync(this.fd, this.size);
      throw error;
    }
    this.size += bytes.length;
    this.dirty = true;
  }

  sync(): void {
    if (!this.dirty || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    fs.fdatasync(this.fd, (error) => {
      this.syncing = false;
      if (error) this.dirty = true;
    });
  }

  close(): void {
    fs.fdatasyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

const START_SUFFIX = '.start-offset';

/** Written aside, synced and renamed, so the file is whole in either its old or its new form. */
function replaceFile(target: string, chunks: readonly Buffer[]): void {
  const temporary = `${target}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += fs.writeSync(fd, chunk, written);
    }
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, target);
}
