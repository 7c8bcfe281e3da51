import { buildBatch } from '../../test/support/batch-builder';
import { assignBaseOffset, decodeHeader, readBatch, readBatchChunks } from './record-batch';

const batch = buildBatch({ values: ['first', 'second', 'third'.repeat(40)], producerId: 7, baseSequence: 3 });
const next = buildBatch({ values: ['next'] });
const recordSet = Buffer.concat([batch, next]);

function cutAt(buffer: Buffer, cut: number): Buffer[] {
  return [Buffer.from(buffer.subarray(0, cut)), Buffer.from(buffer.subarray(cut))];
}

describe('a record batch spread over the socket reads it arrived in', () => {
  it('is read and its CRC verified wherever the reads cut it, the next batch left as the rest', () => {
    for (let cut = 0; cut <= recordSet.length; cut++) {
      const read = readBatchChunks(cutAt(recordSet, cut));
      if (!read.ok) throw new Error(`cut at ${cut}: ${read.problem}`);
      expect(read.header).toEqual(decodeHeader(batch));
      expect(Buffer.concat(read.chunks)).toEqual(batch);
      expect(Buffer.concat(read.rest)).toEqual(next);
    }
  });

  it('fails its CRC when any byte the CRC covers changed, in whichever read it lies', () => {
    for (const at of [21, 60, 61, batch.length - 1]) {
      const corrupt = Buffer.from(batch);
      corrupt[at] ^= 1;
      expect(readBatchChunks(cutAt(corrupt, 40))).toEqual({ ok: false, problem: 'bad-crc' });
    }
  });

  it('is truncated when the reads end before its length', () => {
    expect(readBatchChunks(cutAt(batch.subarray(0, batch.length - 1), 30))).toEqual({
      ok: false,
      problem: 'truncated',
    });
    expect(readBatch(batch.subarray(0, 40), 0)).toEqual({ ok: false, problem: 'truncated' });
  });

  it('gets its base offset even when a read ends inside the offset field', () => {
    const chunks = cutAt(batch, 3);
    assignBaseOffset(chunks, 2 ** 33 + 5);
    const assigned = Buffer.concat(chunks);
    expect(decodeHeader(assigned).baseOffset).toBe(2 ** 33 + 5);
    expect(readBatch(assigned, 0).ok).toBe(true);
  });
});
