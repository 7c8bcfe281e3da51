import { type ByteChunks, leadingBytes, overwriteLeading, splitChunks } from './byte-chunks';
import { crc32cAcross } from './crc32c';

/** Bytes from the batch start through the record count; a batch is never shorter. */
export const BATCH_HEADER_SIZE = 61;
const LENGTH_FIELD_END = 12;
const MAGIC = 16;
const CRC = 17;
const ATTRIBUTES = 21;

export interface BatchHeader {
  readonly baseOffset: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

export type BatchProblem = 'truncated' | 'unsupported-magic' | 'bad-crc' | 'bad-header';

export type BatchRead =
  | { readonly ok: true; readonly bytes: Buffer; readonly header: BatchHeader }
  | { readonly ok: false; readonly problem: BatchProblem };

export type ChunkedBatchRead =
  | {
      readonly ok: true;
      /** The batch as views into the chunks it arrived in. */
      readonly chunks: Buffer[];
      readonly size: number;
      readonly header: BatchHeader;
      /** What follows the batch. */
      readonly rest: Buffer[];
    }
  | { readonly ok: false; readonly problem: BatchProblem };

export const COMPRESSION_MASK = 0x07;
export const TRANSACTIONAL_FLAG = 0x10;
export const CONTROL_FLAG = 0x20;

/** Reads and verifies the record batch v2 starting at `position`. */
export function readBatch(buffer: Buffer, position: number): BatchRead {
  const read = readBatchChunks([buffer.subarray(position)]);
  return read.ok ? { ok: true, bytes: read.chunks[0], header: read.header } : read;
}

/** Reads and verifies the record batch v2 that starts the chunks, its CRC taken across them uncopied. */
export function readBatchChunks(chunks: ByteChunks): ChunkedBatchRead {
  const head = leadingBytes(chunks, BATCH_HEADER_SIZE);
  if (!head) return { ok: false, problem: 'truncated' };
  const size = LENGTH_FIELD_END + head.readInt32BE(8);
  if (size < BATCH_HEADER_SIZE) return { ok: false, problem: 'bad-header' };
  const split = splitChunks(chunks, size);
  if (!split) return { ok: false, problem: 'truncated' };
  if (head[MAGIC] !== 2) return { ok: false, problem: 'unsupported-magic' };
  const [batch, rest] = split;
  if (head.readUInt32BE(CRC) !== crc32cAcross(batch, ATTRIBUTES)) return { ok: false, problem: 'bad-crc' };
  const header = decodeHeader(head);
  if (header.recordCount < 1 || header.lastOffsetDelta !== header.recordCount - 1) {
    return { ok: false, problem: 'bad-header' };
  }
  return { ok: true, chunks: batch, size, header, rest };
}

export function decodeHeader(bytes: Buffer): BatchHeader {
  return {
    baseOffset: Number(bytes.readBigInt64BE(0)),
    attributes: bytes.readInt16BE(ATTRIBUTES),
    lastOffsetDelta: bytes.readInt32BE(23),
    firstTimestamp: Number(bytes.readBigInt64BE(27)),
    maxTimestamp: Number(bytes.readBigInt64BE(35)),
    producerId: Number(bytes.readBigInt64BE(43)),
    producerEpoch: bytes.readInt16BE(51),
    baseSequence: bytes.readInt32BE(53),
    recordCount: bytes.readInt32BE(57),
  };
}

/** The CRC starts after the base offset, so assigning offsets leaves the batch valid. */
export function assignBaseOffset(chunks: ByteChunks, baseOffset: number): void {
  if (chunks[0].length >= 8) {
    chunks[0].writeBigInt64BE(BigInt(baseOffset), 0);
    return;
  }
  const field = Buffer.alloc(8);
  field.writeBigInt64BE(BigInt(baseOffset), 0);
  overwriteLeading(chunks, field);
}

export function recordsOf(bytes: Buffer): Buffer {
  return bytes.subarray(BATCH_HEADER_SIZE);
}
