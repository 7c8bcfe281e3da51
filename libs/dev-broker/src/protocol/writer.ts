/**
 * Big-endian, growable writer for response bodies in the Kafka primitive types. A flexible writer
 * (KIP-482) writes compact strings, bytes and arrays, and `tags()` ends a struct with an empty tagged
 * field section; a non-flexible one writes the classic layout and `tags()` writes nothing.
 */
export class Writer {
  private buffer: Buffer;
  private length = 0;

  constructor(
    initialSize = 256,
    readonly flexible = false,
  ) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /** A writer for the response to a request in the given layout. */
  static forResponse(request: { readonly flexible: boolean }): Writer {
    return new Writer(256, request.flexible);
  }

  get size(): number {
    return this.length;
  }

  int8(value: number): this {
    this.ensure(1);
    this.buffer.writeInt8(value, this.length);
    this.length += 1;
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    this.ensure(2);
    this.buffer.writeInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  uint32(value: number): this {
    this.ensure(4);
    this.buffer.writeUInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  int64(value: bigint | number): this {
    this.ensure(8);
    this.buffer.writeBigInt64BE(BigInt(value), this.length);
    this.length += 8;
    return this;
  }

  string(value: string): this {
    return this.nullableString(value);
  }

  nullableString(value: string | null): this {
    if (value === null) return this.length32(-1, 16);
    const encoded = Buffer.from(value, 'utf8');
    return this.length32(encoded.length, 16).raw(encoded);
  }

  bytes(value: Buffer): this {
    return this.length32(value.length, 32).raw(value);
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.length32(-1, 32);
    return this.bytes(value);
  }

  /** An empty tagged-field section at the end of a struct, in a flexible version. */
  tags(): this {
    return this.flexible ? this.uvarint(0) : this;
  }

  uvarint(value: number): this {
    let rest = value;
    while (rest > 0x7f) {
      this.uint8((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    return this.uint8(rest);
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T, index: number) => void): this {
    this.length32(items.length, 32);
    for (let i = 0; i < items.length; i++) writeItem(this, items[i], i);
    return this;
  }

  nullableArray<T>(
    items: readonly T[] | null,
    writeItem: (writer: this, item: T, index: number) => void,
  ): this {
    if (items === null) return this.length32(-1, 32);
    return this.array(items, writeItem);
  }

  /** A length or count: compact (n + 1, null as 0) when flexible, else int16 or int32 (null as -1). */
  private length32(value: number, classicBits: 16 | 32): this {
    if (this.flexible) return this.uvarint(value + 1);
    return classicBits === 16 ? this.int16(value) : this.int32(value);
  }

  varint(value: number): this {
    let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
    while (zigzag > 0x7f) {
      this.uint8((zigzag & 0x7f) | 0x80);
      zigzag >>>= 7;
    }
    return this.uint8(zigzag);
  }

  varlong(value: number | bigint): this {
    const big = BigInt(value);
    let zigzag = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
    while (zigzag > 0x7fn) {
      this.uint8(Number((zigzag & 0x7fn) | 0x80n));
      zigzag >>= 7n;
    }
    return this.uint8(Number(zigzag));
  }

  raw(value: Buffer): this {
    this.ensure(value.length);
    value.copy(this.buffer, this.length);
    this.length += value.length;
    return this;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private uint8(value: number): this {
    this.ensure(1);
    this.buffer[this.length++] = value;
    return this;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
