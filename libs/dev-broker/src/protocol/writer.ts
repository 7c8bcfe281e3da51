/** Smaller buffers are copied by `attach`: a copy costs less than one more piece to write out. */
const ATTACH_MIN_BYTES = 4096;
const TWO_TO_32 = 2 ** 32;

/**
 * Big-endian, growable writer for response bodies in the Kafka primitive types. A flexible writer
 * (KIP-482) writes compact strings, bytes and arrays, and `tags()` ends a struct with an empty tagged
 * field section; a non-flexible one writes the classic layout and `tags()` writes nothing.
 * Large buffers can be attached by reference (`attach`), so stored record batches reach the socket
 * without a copy: the body is then several pieces (`toBuffers`).
 */
export class Writer {
  private buffer: Buffer;
  private length = 0;
  /** Where the bytes not yet handed to `pieces` start in `buffer`. */
  private start = 0;
  private readonly pieces: Buffer[] = [];
  private piecesSize = 0;
  private readonly releases: (() => void)[] = [];

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
    return this.piecesSize + this.length - this.start;
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

  /** A safe-integer number is written as two 32-bit halves, sparing a BigInt per field. */
  int64(value: bigint | number): this {
    this.ensure(8);
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      const high = Math.floor(value / TWO_TO_32);
      this.buffer.writeInt32BE(high, this.length);
      this.buffer.writeUInt32BE(value - high * TWO_TO_32, this.length + 4);
    } else {
      this.buffer.writeBigInt64BE(BigInt(value), this.length);
    }
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

  /**
   * Appends `value` by reference, without copying it (a small one is copied): it must not change
   * until the body has been written out. Stored record batches never change.
   */
  attach(value: Buffer): this {
    if (value.length < ATTACH_MIN_BYTES) return this.raw(value);
    if (this.length > this.start) this.pieces.push(this.buffer.subarray(this.start, this.length));
    this.pieces.push(value);
    this.piecesSize += this.length - this.start + value.length;
    this.start = this.length;
    return this;
  }

  /** `release` runs once the attached pieces are no longer needed (see `release`), e.g. to reuse a pooled buffer. */
  onRelease(release: () => void): this {
    this.releases.push(release);
    return this;
  }

  get holdsLent(): boolean {
    return this.releases.length > 0;
  }

  /** Called once the body is written out (the socket holds no reference to it) or will never be. */
  release(): void {
    for (const release of this.releases.splice(0)) release();
  }

  /** The body as the pieces to write out in order, with attached buffers as they are. */
  toBuffers(): Buffer[] {
    if (this.length === this.start) return [...this.pieces];
    return [...this.pieces, this.buffer.subarray(this.start, this.length)];
  }

  /** The body in one buffer (copied together when buffers were attached). */
  toBuffer(): Buffer {
    if (this.pieces.length === 0) return this.buffer.subarray(0, this.length);
    return Buffer.concat(this.toBuffers(), this.size);
  }

  private uint8(value: number): this {
    this.ensure(1);
    this.buffer[this.length++] = value;
    return this;
  }

  /** Grows by doubling; bytes already handed to `pieces` stay where they are and are not copied. */
  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const pending = this.length - this.start;
    let size = Math.max(64, this.buffer.length * 2);
    while (size < pending + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, this.start, this.length);
    this.buffer = grown;
    this.start = 0;
    this.length = pending;
  }
}
