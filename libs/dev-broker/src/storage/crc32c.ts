const CASTAGNOLI_REVERSED = 0x82f63b78;
const SLICES = 8;

/** Slicing-by-8 tables: eight bytes per step, as every produced and recovered batch is checked. */
const TABLES = (() => {
  const tables = Array.from({ length: SLICES }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REVERSED : c >>> 1;
    tables[0][n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < SLICES; s++)
      tables[s][n] = (tables[s - 1][n] >>> 8) ^ tables[0][tables[s - 1][n] & 0xff];
  }
  return tables;
})();

/** CRC-32C (Castagnoli), the checksum of record batch v2. Node 20 ships none. */
export function crc32c(buffer: Buffer, start = 0, end = buffer.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let crc = -1;
  let i = start;
  for (; i + SLICES <= end; i += SLICES) {
    const low = crc ^ (buffer[i] | (buffer[i + 1] << 8) | (buffer[i + 2] << 16) | (buffer[i + 3] << 24));
    const high = buffer[i + 4] | (buffer[i + 5] << 8) | (buffer[i + 6] << 16) | (buffer[i + 7] << 24);
    crc =
      t7[low & 0xff] ^
      t6[(low >>> 8) & 0xff] ^
      t5[(low >>> 16) & 0xff] ^
      t4[low >>> 24] ^
      t3[high & 0xff] ^
      t2[(high >>> 8) & 0xff] ^
      t1[(high >>> 16) & 0xff] ^
      t0[high >>> 24];
  }
  for (; i < end; i++) crc = t0[(crc ^ buffer[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
