/** A buffer lent for one read; its bytes may go to another read as soon as `release` is called. */
export interface ReadLease {
  readonly bytes: Buffer;
  /** Returns the buffer to its pool; a second call does nothing. */
  release(): void;
}

const MIN_CLASS_BYTES = 16 * 1024;
/** Fetches ask for 1 MiB per partition (kafkajs, librdkafka) plus the batch that straddles it. */
const MAX_CLASS_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_FREE_BYTES = 16 * 1024 * 1024;

/**
 * Reusable buffers for segment reads, in power-of-two size classes. A fresh buffer per read costs
 * an allocation the kernel then faults in page by page, and garbage to collect; a pooled one is
 * already mapped. A read larger than the largest class gets a buffer of its own. A lease that is
 * never released is only a buffer the pool does not get back, so a caller unsure whether the bytes
 * are still referenced (a socket write that never completed) keeps it rather than risk a reuse.
 */
export class ReadBufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;

  constructor(private readonly maxFreeBytes = DEFAULT_MAX_FREE_BYTES) {}

  acquire(length: number): ReadLease {
    if (length > MAX_CLASS_BYTES) return { bytes: Buffer.allocUnsafe(length), release: () => undefined };
    const size = classOf(length);
    const buffer = this.take(size) ?? Buffer.allocUnsafeSlow(size);
    let released = false;
    return {
      bytes: buffer.subarray(0, length),
      release: () => {
        if (released) return;
        released = true;
        this.giveBack(buffer);
      },
    };
  }

  /** Bytes held for reuse, not lent out. */
  get idleBytes(): number {
    return this.freeBytes;
  }

  private take(size: number): Buffer | undefined {
    const buffer = this.free.get(size)?.pop();
    if (buffer) this.freeBytes -= size;
    return buffer;
  }

  private giveBack(buffer: Buffer): void {
    if (this.freeBytes + buffer.length > this.maxFreeBytes) return;
    const list = this.free.get(buffer.length);
    if (list) list.push(buffer);
    else this.free.set(buffer.length, [buffer]);
    this.freeBytes += buffer.length;
  }
}

function classOf(length: number): number {
  let size = MIN_CLASS_BYTES;
  while (size < length) size *= 2;
  return size;
}

/** The broker's segment reads share one pool: consumers of any partition reuse the same buffers. */
export const segmentReadBuffers = new ReadBufferPool();
