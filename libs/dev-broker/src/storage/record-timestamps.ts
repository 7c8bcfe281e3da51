import { gunzipSync } from 'node:zlib';
import { Reader } from '../protocol/reader';
import { type BatchHeader, COMPRESSION_MASK, recordsOf } from './record-batch';

const NONE = 0;
const GZIP = 1;

export interface RecordTimestamp {
  readonly offset: number;
  readonly timestamp: number;
}

/**
 * The first record of the batch stamped at or after `timestamp`. Records are only read for
 * the one batch a timestamp lookup lands in; codecs other than GZIP answer at batch level.
 */
export function firstRecordAtOrAfter(bytes: Buffer, header: BatchHeader, timestamp: number): RecordTimestamp {
  const batchLevel = { offset: header.baseOffset, timestamp: header.maxTimestamp };
  const codec = header.attributes & COMPRESSION_MASK;
  if (header.firstTimestamp >= timestamp || (codec !== NONE && codec !== GZIP)) return batchLevel;
  const records = new Reader(codec === GZIP ? gunzipSync(recordsOf(bytes)) : recordsOf(bytes));
  for (let i = 0; i < header.recordCount; i++) {
    const record = new Reader(records.raw(records.varint()));
    record.int8();
    const recordTimestamp = header.firstTimestamp + record.varlong();
    const offsetDelta = record.varint();
    if (recordTimestamp >= timestamp)
      return { offset: header.baseOffset + offsetDelta, timestamp: recordTimestamp };
  }
  return batchLevel;
}
