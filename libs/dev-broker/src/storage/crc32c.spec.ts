import { randomBytes } from 'node:crypto';
import { crc32c, crc32cAcross } from './crc32c';

function bitByBit(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the Castagnoli check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('covers only the given range', () => {
    expect(crc32c(Buffer.from('xx123456789'), 2)).toBe(0xe3069283);
  });

  it('agrees with the bit-by-bit definition at every length and alignment', () => {
    const data = randomBytes(64);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end++) {
        expect(crc32c(data, start, end)).toBe(bitByBit(data.subarray(start, end)));
      }
    }
  });

  it('agrees with the bit-by-bit definition over long ranges at every byte offset of the underlying memory', () => {
    const backing = randomBytes(4096 + 8);
    for (let shift = 0; shift < 8; shift++) {
      const view = backing.subarray(shift, shift + 4096);
      for (const [start, end] of [
        [0, 4096],
        [21, 4096],
        [3, 4093],
        [61, 1000],
      ]) {
        expect(crc32c(view, start, end)).toBe(bitByBit(view.subarray(start, end)));
      }
    }
  });

  it('takes chunks as one run of bytes, wherever they are cut and from any start', () => {
    const data = randomBytes(200);
    for (let cut = 0; cut <= data.length; cut += 7) {
      const chunks = [data.subarray(0, cut), data.subarray(cut, cut + 13), data.subarray(cut + 13)];
      for (const start of [0, 5, 21, 150]) {
        expect(crc32cAcross(chunks, start)).toBe(bitByBit(data.subarray(start)));
      }
    }
  });
});
