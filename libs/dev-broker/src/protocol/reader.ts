/** Thrown when a request body is shorter than its own fields say; costs the client its connection. */
export class MalformedRequestError extends Error {}

/**
 * Big-endian reader over one request body, in the Kafka primitive types. In a flexible version (KIP-482)
 * strings, bytes and arrays are compact (unsigned varint length + 1) and structs end in tagged fields,
 * which `tags()` skips; outside one `tags()` reads nothing, so a handler reads both layouts with one code path.
 */
export class Reader {
  private buffer: Buffer;
  private offset = 0;
  /** The chunks after `buffer`, when the body arrived over several socket reads. */
  private readonly following: Buffer[];
  private followingLength = 0;
  flexible = false;

  /** Over one buffer, or over the chunks a frame arrived in, taken as one run of bytes. */
  constructor(source: Buffer | readonly Buffer[]) {
    const chunks = Buffer.isBuffer(source) ? [source] : [...source];
    this.buffer = chunks.shift() ?? Buffer.alloc(0);
    this.following = chunks;
    for (const chunk of chunks) this.followingLength += chunk.length;
  }

  get remaining(): number {
    return this.buffer.length - this.offset + this.followingLength;
  }

  int8(): number {
    this.need(1);
    return this.buffer.readInt8(this.offset++);
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2);
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint32(): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  int64(): bigint {
    this.need(8);
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** int64 as a number; offsets and timestamps stay far below 2^53. */
  int64n(): number {
    return Number(this.int64());
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new MalformedRequestError('null where a string is required');
    return value;
  }

  nullableString(): string | null {
    const length = this.flexible ? this.uvarint() - 1 : this.int16();
    if (length < 0) return null;
    return this.raw(length).toString('utf8');
  }

  bytes(): Buffer {
    const value = this.nullableBytes();
    return value ?? Buffer.alloc(0);
  }

  nullableBytes(): Buffer | null {
    const length = this.flexible ? this.uvarint() - 1 : this.int32();
    if (length < 0) return null;
    return this.raw(length);
  }

  /** Bytes as views into the chunks they lie in, never gathered: record sets on their way to the log. */
  nullableChunks(): Buffer[] | null {
    const length = this.flexible ? this.uvarint() - 1 : this.int32();
    if (length < 0) return null;
    if (length > this.remaining)
      throw new MalformedRequestError(`needs ${length} bytes at ${this.offset}, has ${this.remaining}`);
    const chunks: Buffer[] = [];
    for (let left = length; left > 0;) {
      if (this.offset === this.buffer.length) this.nextChunk();
      const take = Math.min(left, this.buffer.length - this.offset);
      chunks.push(this.buffer.subarray(this.offset, this.offset + take));
      this.offset += take;
      left -= take;
    }
    return chunks;
  }

  array<T>(readItem: (reader: Reader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }

  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.flexible ? this.uvarint() - 1 : this.int32();
    if (count < 0) return null;
    if (count > this.remaining)
      throw new MalformedRequestError(`array of ${count} items in ${this.remaining} bytes`);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  /** Skips a struct's tagged fields: none of the fields Kafka tags is one this broker acts on. */
  tags(): this {
    if (!this.flexible) return this;
    for (let count = this.uvarint(); count > 0; count--) {
      this.uvarint();
      this.raw(this.uvarint());
    }
    return this;
  }

  /** Unsigned varint: compact lengths and tagged-field headers. */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      if (shift > 28) throw new MalformedRequestError('varint too long');
      byte = this.uint8();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }

  /** Zigzag-encoded signed varint, as used inside record batches. */
  varint(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      if (shift > 28) throw new MalformedRequestError('varint too long');
      byte = this.uint8();
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return (result >>> 1) ^ -(result & 1);
  }

  /** Zigzag-encoded signed varlong, returned as a number (timestamp deltas fit). */
  varlong(): number {
    let result = 0n;
    let shift = 0n;
    let byte: number;
    do {
      if (shift > 63n) throw new MalformedRequestError('varlong too long');
      byte = this.uint8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    return Number((result >> 1n) ^ -(result & 1n));
  }

  raw(length: number): Buffer {
    this.need(length);
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  private uint8(): number {
    this.need(1);
    return this.buffer[this.offset++];
  }

  /** Makes `buffer` hold the next `length` bytes; only a value that straddles two chunks is copied. */
  private need(length: number): void {
    if (length >= 0 && this.offset + length <= this.buffer.length) return;
    if (length < 0 || length > this.remaining)
      throw new MalformedRequestError(`needs ${length} bytes at ${this.offset}, has ${this.remaining}`);
    while (this.offset === this.buffer.length) this.nextChunk();
    if (this.offset + length <= this.buffer.length) return;
    const pieces = [this.buffer.subarray(this.offset)];
    let gathered = pieces[0].length;
    while (gathered < length) {
      this.nextChunk();
      const take = Math.min(length - gathered, this.buffer.length);
      pieces.push(this.buffer.subarray(0, take));
      gathered += take;
      this.offset = take;
    }
    const rest = this.buffer.subarray(this.offset);
    this.buffer = Buffer.concat(pieces, length);
    this.offset = 0;
    if (rest.length > 0) {
      this.following.unshift(rest);
      this.followingLength += rest.length;
    }
  }

  private nextChunk(): void {
    const next = this.following.shift();
    if (!next) throw new MalformedRequestError(`the body ends at ${this.offset}`);
    this.followingLength -= next.length;
    this.buffer = next;
    this.offset = 0;
  }
}
