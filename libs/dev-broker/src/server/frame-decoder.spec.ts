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

const text = (frame: readonly Buffer[]) => Buffer.concat(frame).toString();

describe('frame decoder', () => {
  it('splits several frames out of one chunk', () => {
    const frames = new FrameDecoder(100).push(framed('one', 'two', ''));
    expect(frames.map(text)).toEqual(['one', 'two', '']);
  });

  it('reassembles frames cut at every possible byte', () => {
    const stream = framed('hello', 'world!');
    for (let cut = 1; cut < stream.length; cut++) {
      const decoder = new FrameDecoder(100);
      const frames = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(frames.map(text)).toEqual(['hello', 'world!']);
    }
  });

  it('refuses a frame above the limit before buffering it', () => {
    expect(() => new FrameDecoder(4).push(framed('too long'))).toThrow(FrameError);
  });

  it('refuses a negative size', () => {
    expect(() => new FrameDecoder(4).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameError);
  });

  it('hands a frame spanning chunks over as views into them, uncopied', () => {
    const decoder = new FrameDecoder(100);
    const stream = framed('second', 'first');
    const head = stream.subarray(0, 6);
    const tail = stream.subarray(6, 12);
    const [first] = [...decoder.push(head), ...decoder.push(tail)];
    expect(first.map(String)).toEqual(['se', 'cond']);
    expect(first[0].buffer).toBe(head.buffer);
    expect(first[1].buffer).toBe(tail.buffer);
  });

  it('hands a frame inside one chunk over as a single view into it', () => {
    const chunk = framed('whole');
    const [frame] = new FrameDecoder(100).push(chunk);
    expect(frame).toHaveLength(1);
    expect(frame[0].buffer).toBe(chunk.buffer);
  });
});
