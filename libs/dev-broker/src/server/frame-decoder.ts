export class FrameError extends Error {}

const SIZE_PREFIX = 4;
/** Frames up to this size are gathered in one buffer kept for the connection's life. */
const MAX_REUSED_BYTES = 16 * 1024 * 1024;

/**
 * Splits a TCP byte stream into size-prefixed frames. A frame inside one chunk is a view
 * into it; a frame spanning chunks is gathered once, without growing a buffer per chunk, into
 * a buffer the decoder reuses for the next such frame (fresh memory costs a page fault per
 * 4 KiB, more than the copy). Such a frame is `borrowed`: valid until the next `push`, so its
 * reader must copy what it keeps. One `push` returns at most one borrowed frame.
 */
export class FrameDecoder {
  private readonly sizeBytes = Buffer.alloc(SIZE_PREFIX);
  private sizeFilled = 0;
  private frameSize = -1;
  private parts: Buffer[] = [];
  private partsLength = 0;
  private assembly = Buffer.alloc(0);

  constructor(private readonly maxFrameSize: number) {}

  /** Whether `frame` lies in the buffer this decoder reuses (see the class comment). */
  borrowed(frame: Buffer): boolean {
    return frame.length > 0 && frame.buffer === this.assembly.buffer;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let position = 0;
    while (position < chunk.length) {
      if (this.frameSize < 0) {
        if (this.sizeFilled === 0 && chunk.length - position >= SIZE_PREFIX) {
          this.startFrame(chunk.readInt32BE(position));
          position += SIZE_PREFIX;
        } else {
          const n = Math.min(SIZE_PREFIX - this.sizeFilled, chunk.length - position);
          chunk.copy(this.sizeBytes, this.sizeFilled, position, position + n);
          this.sizeFilled += n;
          position += n;
          if (this.sizeFilled < SIZE_PREFIX) break;
          this.startFrame(this.sizeBytes.readInt32BE(0));
        }
        if (this.frameSize <= chunk.length - position) {
          frames.push(chunk.subarray(position, position + this.frameSize));
          position += this.frameSize;
          this.frameSize = -1;
          continue;
        }
      }
      const n = Math.min(this.frameSize - this.partsLength, chunk.length - position);
      this.parts.push(chunk.subarray(position, position + n));
      this.partsLength += n;
      position += n;
      if (this.partsLength === this.frameSize) {
        frames.push(this.gather());
        this.parts = [];
        this.partsLength = 0;
        this.frameSize = -1;
      }
    }
    return frames;
  }

  private gather(): Buffer {
    if (this.frameSize > MAX_REUSED_BYTES) return Buffer.concat(this.parts, this.frameSize);
    if (this.assembly.length < this.frameSize)
      this.assembly = Buffer.allocUnsafeSlow(
        Math.min(MAX_REUSED_BYTES, Math.max(this.frameSize, this.assembly.length * 2)),
      );
    let position = 0;
    for (const part of this.parts) position += part.copy(this.assembly, position);
    return this.assembly.subarray(0, this.frameSize);
  }

  private startFrame(size: number): void {
    if (size < 0) throw new FrameError(`negative frame size ${size}`);
    if (size > this.maxFrameSize)
      throw new FrameError(`frame of ${size} bytes exceeds the ${this.maxFrameSize} byte limit`);
    this.sizeFilled = 0;
    this.frameSize = size;
  }
}
