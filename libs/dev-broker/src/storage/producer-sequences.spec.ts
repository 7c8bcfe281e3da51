import { ErrorCode } from '../protocol/error-codes';
import { ProducerSequences } from './producer-sequences';
import type { BatchHeader } from './record-batch';

function batch(baseSequence: number, records = 1, producerEpoch = 0, producerId = 7): BatchHeader {
  return {
    baseOffset: 0,
    attributes: 0,
    lastOffsetDelta: records - 1,
    firstTimestamp: 0,
    maxTimestamp: 0,
    producerId,
    producerEpoch,
    baseSequence,
    recordCount: records,
  };
}

describe('producer sequences', () => {
  it('given no producer id, appends anything', () => {
    expect(new ProducerSequences().check(batch(42, 1, 0, -1))).toEqual({ kind: 'append' });
  });

  it('given a new producer, wants sequence 0 first', () => {
    const sequences = new ProducerSequences();
    expect(sequences.check(batch(0))).toEqual({ kind: 'append' });
    expect(sequences.check(batch(3)).kind).toBe('reject');
  });

  it('given an appended batch, a resend is a duplicate with the original offset', () => {
    const sequences = new ProducerSequences();
    sequences.record(batch(0, 3), 10);
    expect(sequences.check(batch(0, 3))).toEqual({ kind: 'duplicate', baseOffset: 10 });
    expect(sequences.check(batch(3))).toEqual({ kind: 'append' });
  });

  it('given a gap, rejects with OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    const sequences = new ProducerSequences();
    sequences.record(batch(0, 3), 10);
    expect(sequences.check(batch(5))).toEqual({
      kind: 'reject',
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
  });

  it('given a newer epoch, fences the older one', () => {
    const sequences = new ProducerSequences();
    sequences.record(batch(0, 1, 0), 0);
    sequences.record(batch(0, 1, 1), 1);
    expect(sequences.check(batch(1, 1, 0))).toEqual({
      kind: 'reject',
      errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
    });
    expect(sequences.check(batch(1, 1, 1))).toEqual({ kind: 'append' });
  });

  it('wraps the sequence after its maximum', () => {
    const sequences = new ProducerSequences();
    sequences.record(batch(0), 0);
    sequences.record(batch(1, 0x7fffffff), 1);
    expect(sequences.check(batch(0, 2))).toEqual({ kind: 'append' });
    expect(sequences.check(batch(1, 2)).kind).toBe('reject');
  });
});
