import { Reader } from './reader';
import { Writer } from './writer';

describe('Writer', () => {
  it('writes int64 numbers as Kafka reads them, negative and past 32 bits alike', () => {
    const values = [
      0,
      1,
      -1,
      2 ** 32,
      2 ** 32 + 5,
      -(2 ** 40) - 3,
      Number.MAX_SAFE_INTEGER,
      1_733_000_000_000,
    ];
    const writer = new Writer(8);
    for (const value of values) writer.int64(value);
    writer.int64(-(2n ** 63n));
    const reader = new Reader(writer.toBuffer());
    expect(values.map(() => reader.int64n())).toEqual(values);
    expect(reader.int64()).toBe(-(2n ** 63n));
  });

  it('attaches large buffers by reference and copies small ones', () => {
    const large = Buffer.alloc(5000, 7);
    const small = Buffer.from('small');
    const writer = new Writer(16).int32(1).attach(large).int16(2).attach(small).int32(3);

    const pieces = writer.toBuffers();
    expect(pieces).toHaveLength(3);
    expect(pieces[1]).toBe(large);
    expect(writer.size).toBe(4 + 5000 + 2 + 5 + 4);
    expect(Buffer.concat(pieces)).toEqual(
      Buffer.concat([int32(1), large, Buffer.from([0, 2]), small, int32(3)]),
    );
    expect(writer.toBuffer()).toEqual(Buffer.concat(pieces));
  });

  it('gives back what it was lent once, when released, and not before', () => {
    let released = 0;
    const writer = new Writer().attach(Buffer.alloc(5000)).onRelease(() => released++);
    const before = released;

    writer.release();
    writer.release();

    expect(before).toBe(0);
    expect(released).toBe(1);
  });

  it('keeps earlier pieces intact when its buffer grows after an attach', () => {
    const large = Buffer.alloc(4096, 1);
    const writer = new Writer(4).int32(9).attach(large);
    for (let i = 0; i < 100; i++) writer.int32(i);
    const reader = new Reader(writer.toBuffer());
    expect(reader.int32()).toBe(9);
    expect(reader.raw(4096)).toEqual(large);
    expect(Array.from({ length: 100 }, () => reader.int32())).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    expect(reader.remaining).toBe(0);
  });

  it('grows from an empty initial buffer', () => {
    expect(new Writer(0).int32(5).toBuffer()).toEqual(int32(5));
  });
});

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}
