import { MalformedRequestError, Reader } from './reader';
import { Writer } from './writer';

const body = new Writer()
  .int16(7)
  .int32(-123_456)
  .int64(2 ** 40 + 9)
  .string('orders')
  .bytes(Buffer.from('record set'))
  .varint(-300)
  .int8(1)
  .toBuffer();

function readAll(reader: Reader) {
  return {
    short: reader.int16(),
    int: reader.int32(),
    long: reader.int64n(),
    name: reader.string(),
    bytes: reader.bytes().toString(),
    varint: reader.varint(),
    flag: reader.boolean(),
    left: reader.remaining,
  };
}

function cutAt(buffer: Buffer, ...cuts: number[]): Buffer[] {
  return [0, ...cuts].map((start, i) => Buffer.from(buffer.subarray(start, cuts[i] ?? buffer.length)));
}

describe('Reader over the chunks a request arrived in', () => {
  const whole = readAll(new Reader(body));

  it('reads the same values wherever the body was cut, one cut or two', () => {
    for (let cut = 0; cut <= body.length; cut++) {
      expect(readAll(new Reader(cutAt(body, cut)))).toEqual(whole);
      expect(readAll(new Reader(cutAt(body, cut, Math.min(body.length, cut + 3))))).toEqual(whole);
    }
  });

  it('reads the same values from a body arriving one byte per chunk', () => {
    const bytes = Array.from(body, (byte) => Buffer.from([byte]));
    expect(readAll(new Reader(bytes))).toEqual(whole);
  });

  it('gives bytes spanning chunks as views into them, uncopied', () => {
    const recordSet = Buffer.from('a record set of some length');
    const request = new Writer().int16(1).bytes(recordSet).toBuffer();
    const chunks = cutAt(request, 9, 20);

    const reader = new Reader(chunks);
    reader.int16();
    const views = reader.nullableChunks() ?? [];

    expect(Buffer.concat(views)).toEqual(recordSet);
    expect(views.map((view) => view.buffer)).toEqual(chunks.map((chunk) => chunk.buffer));
    expect(reader.remaining).toBe(0);
  });

  it('refuses a body shorter than its fields say, across chunks too', () => {
    const truncated = cutAt(body.subarray(0, 20), 5);
    const reader = new Reader(truncated);
    reader.int16();
    reader.int32();
    reader.int64n();
    expect(() => reader.string()).toThrow(MalformedRequestError);
    const chunked = new Reader(cutAt(new Writer().int32(50).raw(Buffer.alloc(10)).toBuffer(), 6));
    expect(() => chunked.nullableChunks()).toThrow(MalformedRequestError);
  });
});
