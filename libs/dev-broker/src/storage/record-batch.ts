import { crc32c } from './crc32c';

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

export const COMPRESSION_MASK = 0x07;
export const TRANSACTIONAL_FLAG = 0x10;
export const CONTROL_FLAG = 0x20;

/** Reads and verifies the record batch v2 starting at `position`. */
export function readBatch(buffer: Buffer, position: number): BatchRead {
  if (buffer.length - position < BATCH_HEADER_SIZE) return { ok: false, problem: 'truncated' };
  const size = LENGTH_FIELD_END + buffer.readInt32BE(position + 8);
  if (size < BATCH_HEADER_SIZE) return { ok: false, problem: 'bad-header' };
  if (position + size > buffer.length) return { ok: false, problem: 'truncated' };
  if (buffer[position + MAGIC] !== 2) return { ok: false, problem: 'unsupported-magic' };
  const bytes = buffer.subarray(position, position + size);
  if (bytes.readUInt32BE(CRC) !== crc32c(bytes, ATTRIBUTES)) return { ok: false, problem: 'bad-crc' };
  const header = decodeHeader(bytes);
  if (header.recordCount < 1 || header.lastOffsetDelta !== header.recordCount - 1) {
    return { ok: false, problem: 'bad-header' };
  }
  return { ok: true, bytes, header };
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
export function assignBaseOffset(bytes: Buffer, baseOffset: number): void {
  bytes.writeBigInt64BE(BigInt(baseOffset), 0);
}

export function recordsOf(bytes: Buffer): Buffer {
  return bytes.subarray(BATCH_HEADER_SIZE);
}
