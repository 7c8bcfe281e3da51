import type { Reader } from '../../src/protocol/reader';
import { Writer } from '../../src/protocol/writer';
import { crc32c } from '../../src/storage/crc32c';

export interface BatchSpec {
  readonly values: readonly string[];
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly timestamp?: number;
  /** Compression codec bits of the attributes; the records stay uncompressed whatever they claim. */
  readonly codec?: number;
}

/** Encodes an uncompressed record batch v2 the way a producer would, CRC included. */
export function buildBatch(spec: BatchSpec): Buffer {
  const timestamp = spec.timestamp ?? Date.now();
  const records = new Writer();
  spec.values.forEach((value, index) => {
    const encodedValue = Buffer.from(value);
    const record = new Writer()
      .int8(0)
      .varlong(0)
      .varint(index)
      .varint(-1)
      .varint(encodedValue.length)
      .raw(encodedValue)
      .varint(0);
    records.varint(record.size).raw(record.toBuffer());
  });
  const afterCrc = new Writer()
    .int16(spec.codec ?? 0)
    .int32(spec.values.length - 1)
    .int64(timestamp)
    .int64(timestamp)
    .int64(spec.producerId ?? -1)
    .int16(spec.producerEpoch ?? -1)
    .int32(spec.baseSequence ?? -1)
    .int32(spec.values.length)
    .raw(records.toBuffer())
    .toBuffer();
  const batch = new Writer()
    .int64(0)
    .int32(4 + 1 + 4 + afterCrc.length)
    .int32(0)
    .int8(2)
    .uint32(crc32c(afterCrc))
    .raw(afterCrc);
  return batch.toBuffer();
}

/** A Produce body (v3-v8 share this layout) for one partition. */
export function produceRequest(topic: string, partition: number, recordSet: Buffer, acks = -1): Writer {
  return new Writer()
    .nullableString(null)
    .int16(acks)
    .int32(5000)
    .array([topic], (w, name) => w.string(name).array([partition], (pw, p) => pw.int32(p).bytes(recordSet)));
}

export interface ProduceAnswer {
  readonly errorCode: number;
  readonly baseOffset: number;
}

export function readProduceAnswer(body: Reader): ProduceAnswer {
  body.int32();
  body.string();
  body.int32();
  body.int32();
  const errorCode = body.int16();
  return { errorCode, baseOffset: body.int64n() };
}

/** A Fetch v4 body for one partition. */
export function fetchRequest(topic: string, partition: number, offset: number, maxWaitMs: number): Writer {
  return new Writer()
    .int32(-1)
    .int32(maxWaitMs)
    .int32(1)
    .int32(1024 * 1024)
    .int8(0)
    .array([topic], (w, name) =>
      w.string(name).array([partition], (pw, p) =>
        pw
          .int32(p)
          .int64(offset)
          .int32(1024 * 1024),
      ),
    );
}

export interface FetchAnswer {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly records: Buffer;
}

export function readFetchAnswer(body: Reader): FetchAnswer {
  body.int32();
  body.int32();
  body.string();
  body.int32();
  body.int32();
  const errorCode = body.int16();
  const highWatermark = body.int64n();
  body.int64();
  body.array((r) => [r.int64(), r.int64()]);
  return { errorCode, highWatermark, records: body.bytes() };
}
