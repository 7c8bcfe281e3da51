export class FrameError extends Error {}

const SIZE_PREFIX = 4;

/**
 * Splits a TCP byte stream into size-prefixed frames, each handed over as the chunks it arrived in:
 * views into the socket's reads, which Node allocates afresh for each and never reuses, so they may
 * be kept. A frame is never gathered here; a reader copies only a value that straddles two chunks,
 * and a produce request's record batches go from the chunks to the segment uncopied.
 */
export class FrameDecoder {
  private readonly sizeBytes = Buffer.alloc(SIZE_PREFIX);
  private sizeFilled = 0;
  private frameSize = -1;
  private parts: Buffer[] = [];
  private partsLength = 0;

  constructor(private readonly maxFrameSize: number) {}

  push(chunk: Buffer): Buffer[][] {
    const frames: Buffer[][] = [];
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
          frames.push([chunk.subarray(position, position + this.frameSize)]);
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
        frames.push(this.parts);
        this.parts = [];
        this.partsLength = 0;
        this.frameSize = -1;
      }
    }
    return frames;
  }

  private startFrame(size: number): void {
    if (size < 0) throw new FrameError(`negative frame size ${size}`);
    if (size > this.maxFrameSize)
      throw new FrameError(`frame of ${size} bytes exceeds the ${this.maxFrameSize} byte limit`);
    this.sizeFilled = 0;
    this.frameSize = size;
  }
}
