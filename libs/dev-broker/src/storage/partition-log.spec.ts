import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatch } from '../../test/support/batch-builder';
import { silentLogger } from '../logger';
import { PartitionLog, type ReadResult } from './partition-log';
import { ReadBufferPool } from './read-buffer-pool';
import { decodeHeader } from './record-batch';
import { SegmentedLog } from './segmented-log';

const SEGMENT_BYTES = 64 * 1024 * 1024;
const BATCHES = 20;

function filled(fill: string): Buffer[] {
  return Array.from({ length: BATCHES }, () =>
    buildBatch({ values: Array.from({ length: 10 }, () => fill.repeat(1000)) }),
  );
}

function inTwoReads(batch: Buffer): Buffer[] {
  const copy = Buffer.from(batch);
  return [copy.subarray(0, 100), copy.subarray(100)];
}

function contentOf(read: ReadResult): string {
  return Buffer.concat(read.batches).toString('latin1');
}

describe('a file-backed partition log reading into pooled buffers', () => {
  let dataDir: string;
  let pool: ReadBufferPool;
  let logs: PartitionLog[];

  /** A batch that arrived over several socket reads stays out of the tail cache, so every read goes to the segment. */
  function logWith(name: string, batches: readonly Buffer[]): PartitionLog {
    const { file } = SegmentedLog.open(join(dataDir, name), SEGMENT_BYTES, silentLogger, pool);
    const log = new PartitionLog(file);
    for (const batch of batches) log.append(inTwoReads(batch), decodeHeader(batch));
    logs.push(log);
    return log;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'partition-log-'));
    pool = new ReadBufferPool();
    logs = [];
  });
  afterEach(() => {
    for (const log of logs) log.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a read that is not released intact while other reads reuse the pool', () => {
    const a = logWith('a', filled('a'));
    const b = logWith('b', filled('b'));
    const held = a.read(0, Infinity, Infinity);
    const expected = contentOf(held);

    for (let i = 0; i < 3; i++) {
      const other = b.read(0, Infinity, Infinity);
      expect(contentOf(other)).not.toContain('a'.repeat(100));
      other.release?.();
    }

    expect(contentOf(held)).toBe(expected);
    expect(expected).not.toContain('b'.repeat(100));
  });

  it('lends a released read buffer to the next read, which then holds its own bytes', () => {
    const a = logWith('a', filled('a'));
    const b = logWith('b', filled('b'));
    const first = a.read(0, Infinity, Infinity);
    const firstMemory = first.batches[0].buffer;
    first.release?.();

    const second = b.read(0, Infinity, Infinity);

    expect(second.batches[0].buffer).toBe(firstMemory);
    expect(contentOf(second)).not.toContain('a'.repeat(100));
  });

  it('reads the cached tail from memory with nothing to release', () => {
    const { file } = SegmentedLog.open(join(dataDir, 'cached'), SEGMENT_BYTES, silentLogger, pool);
    const log = new PartitionLog(file);
    logs.push(log);
    for (const batch of filled('c')) log.append([Buffer.from(batch)], decodeHeader(batch));

    const read = log.read(0, Infinity, Infinity);

    expect(read.release).toBeUndefined();
    expect(read.batches).toHaveLength(BATCHES);
  });
});
