import { ErrorCode } from '../protocol/error-codes';
import type { BatchHeader } from './record-batch';

/** Kafka remembers as many batches per producer as a producer may have in flight. */
const REMEMBERED_BATCHES = 5;
const MAX_SEQUENCE = 0x7fffffff;

interface SequencedBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  readonly recent: SequencedBatch[];
}

export type SequenceCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: number }
  | { readonly kind: 'reject'; readonly errorCode: ErrorCode };

/** Idempotent-producer bookkeeping for one partition, rebuilt from batch headers on recovery. */
export class ProducerSequences {
  private readonly producers = new Map<number, ProducerEntry>();

  check(header: BatchHeader): SequenceCheck {
    if (header.producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(header.producerId);
    if (!entry || header.producerEpoch > entry.epoch) {
      return header.baseSequence === 0 ? { kind: 'append' } : reject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }
    if (header.producerEpoch < entry.epoch) return reject(ErrorCode.INVALID_PRODUCER_EPOCH);
    const lastSequence = sequenceAfter(header.baseSequence, header.lastOffsetDelta);
    const resent = entry.recent.find(
      (b) => b.firstSequence === header.baseSequence && b.lastSequence === lastSequence,
    );
    if (resent) return { kind: 'duplicate', baseOffset: resent.baseOffset };
    const last = entry.recent[entry.recent.length - 1];
    if (header.baseSequence !== sequenceAfter(last.lastSequence, 1))
      return reject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    return { kind: 'append' };
  }

  record(header: BatchHeader, baseOffset: number): void {
    if (header.producerId < 0) return;
    let entry = this.producers.get(header.producerId);
    if (!entry || header.producerEpoch !== entry.epoch) {
      entry = { epoch: header.producerEpoch, recent: [] };
      this.producers.set(header.producerId, entry);
    }
    entry.recent.push({
      firstSequence: header.baseSequence,
      lastSequence: sequenceAfter(header.baseSequence, header.lastOffsetDelta),
      baseOffset,
    });
    if (entry.recent.length > REMEMBERED_BATCHES) entry.recent.shift();
  }

  highestProducerId(): number {
    let highest = -1;
    for (const producerId of this.producers.keys()) highest = Math.max(highest, producerId);
    return highest;
  }
}

function sequenceAfter(sequence: number, delta: number): number {
  const next = sequence + delta;
  return next > MAX_SEQUENCE ? next - MAX_SEQUENCE - 1 : next;
}

function reject(errorCode: ErrorCode): SequenceCheck {
  return { kind: 'reject', errorCode };
}
