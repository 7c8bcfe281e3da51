/**
 * Bytes that arrived over several socket reads, taken as one run without gathering them: a produce
 * request's record batches go from the reads they came in to the segment, never through a copy.
 */
export type ByteChunks = readonly Buffer[];

export function lengthOf(chunks: ByteChunks): number {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length;
}

/** The first `length` bytes and the rest, as views; undefined when there are fewer. */
export function splitChunks(chunks: ByteChunks, length: number): [Buffer[], Buffer[]] | undefined {
  const head: Buffer[] = [];
  let left = length;
  let index = 0;
  for (; index < chunks.length && left > 0; index++) {
    const chunk = chunks[index];
    if (chunk.length > left) {
      head.push(chunk.subarray(0, left));
      return [head, [chunk.subarray(left), ...chunks.slice(index + 1)]];
    }
    head.push(chunk);
    left -= chunk.length;
  }
  return left > 0 ? undefined : [head, chunks.slice(index)];
}

/** The first `length` bytes in one buffer: a view when the first chunk holds them, else a copy. */
export function leadingBytes(chunks: ByteChunks, length: number): Buffer | undefined {
  if (chunks.length > 0 && chunks[0].length >= length) return chunks[0].subarray(0, length);
  const split = splitChunks(chunks, length);
  return split && Buffer.concat(split[0], length);
}

/** Overwrites the first bytes of the run with `bytes`, across chunk boundaries. */
export function overwriteLeading(chunks: ByteChunks, bytes: Buffer): void {
  let written = 0;
  for (const chunk of chunks) {
    if (written === bytes.length) return;
    written += bytes.copy(chunk, 0, written);
  }
  if (written < bytes.length) throw new RangeError(`${bytes.length} bytes do not fit in ${written}`);
}
