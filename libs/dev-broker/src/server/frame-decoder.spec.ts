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
});
