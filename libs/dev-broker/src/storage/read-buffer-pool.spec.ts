import { ReadBufferPool } from './read-buffer-pool';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('the pool of segment read buffers', () => {
  it('lends a released buffer to the next read of its size class', () => {
    const pool = new ReadBufferPool();
    const first = pool.acquire(100 * KiB);
    first.release();

    const second = pool.acquire(120 * KiB);

    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(second.bytes.length).toBe(120 * KiB);
  });

  it('never lends a buffer that is still out: a second read leaves the first read intact', () => {
    const pool = new ReadBufferPool();
    const held = pool.acquire(64 * KiB);
    held.bytes.fill('a');
    pool.acquire(64 * KiB).release();

    const next = pool.acquire(64 * KiB);
    next.bytes.fill('b');

    expect(next.bytes.buffer).not.toBe(held.bytes.buffer);
    expect(held.bytes.every((byte) => byte === 'a'.charCodeAt(0))).toBe(true);
  });

  it('takes a buffer back once however often its lease is released', () => {
    const pool = new ReadBufferPool();
    const lease = pool.acquire(32 * KiB);
    lease.release();
    lease.release();

    const a = pool.acquire(32 * KiB);
    const b = pool.acquire(32 * KiB);

    expect(a.bytes.buffer).not.toBe(b.bytes.buffer);
    expect(pool.idleBytes).toBe(0);
  });

  it('keeps reads of different size classes apart', () => {
    const pool = new ReadBufferPool();
    pool.acquire(1 * MiB).release();

    const small = pool.acquire(20 * KiB);

    expect(small.bytes.buffer.byteLength).toBe(32 * KiB);
    expect(pool.idleBytes).toBe(1 * MiB);
  });

  it('gives a read beyond the largest class a buffer of its own and keeps none of it', () => {
    const pool = new ReadBufferPool();
    const huge = pool.acquire(5 * MiB);
    huge.release();

    expect(huge.bytes.length).toBe(5 * MiB);
    expect(pool.idleBytes).toBe(0);
  });

  it('holds at most its limit of idle bytes, dropping buffers returned beyond it', () => {
    const pool = new ReadBufferPool(2 * MiB);
    const leases = [pool.acquire(1 * MiB), pool.acquire(1 * MiB), pool.acquire(1 * MiB)];

    for (const lease of leases) lease.release();

    expect(pool.idleBytes).toBe(2 * MiB);
  });
});
