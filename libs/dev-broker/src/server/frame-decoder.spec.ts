import { FrameDecoder, FrameError } from './frame-decoder';

function framed(...payloads: string[]): Buffer {
  return Buffer.concat(
    payloads.map((payload) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(payload.length, 0);
      return Buffer.concat([size, Buffer.from(payload)]);
    }),
  );
}

describe('frame decoder', () => {
  it('splits several frames out of one chunk', () => {
    const frames = new FrameDecoder(100).push(framed('one', 'two', ''));
    expect(frames.map(String)).toEqual(['one', 'two', '']);
  });

  it('reassembles frames cut at every possible byte', () => {
    const stream = framed('hello', 'world!');
    for (let cut = 1; cut < stream.length; cut++) {
      const decoder = new FrameDecoder(100);
      const frames = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(frames.map(String)).toEqual(['hello', 'world!']);
    }
  });

  it('refuses a frame above the limit before buffering it', () => {
    expect(() => new FrameDecoder(4).push(framed('too long'))).toThrow(FrameError);
  });

  it('refuses a negative size', () => {
    expect(() => new FrameDecoder(4).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameError);
  });

  it('lends a frame gathered from several chunks out of one reused buffer', () => {
    const decoder = new FrameDecoder(100);
    const stream = framed('second', 'first');
    const [first] = [...decoder.push(stream.subarray(0, 6)), ...decoder.push(stream.subarray(6, 12))];
    expect(String(first)).toBe('second');
    expect(decoder.borrowed(first)).toBe(true);
    const [second] = [...decoder.push(stream.subarray(12, 16)), ...decoder.push(stream.subarray(16))];
    expect(String(second)).toBe('first');
    expect(second.buffer).toBe(first.buffer);
    expect(decoder.borrowed(new FrameDecoder(100).push(framed('whole'))[0])).toBe(false);
  });
});
