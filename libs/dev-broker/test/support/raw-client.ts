import * as net from 'node:net';
import { Reader } from '../../src/protocol/reader';
import { Writer } from '../../src/protocol/writer';

/**
 * Kafka's API keys as the protocol numbers them, written out here rather than taken from src, so a
 * wrong key there fails a test.
 */
export const ApiKey = {
  PRODUCE: 0,
  FETCH: 1,
  LIST_OFFSETS: 2,
  METADATA: 3,
  OFFSET_COMMIT: 8,
  JOIN_GROUP: 11,
  HEARTBEAT: 12,
  SYNC_GROUP: 14,
  DESCRIBE_GROUPS: 15,
  API_VERSIONS: 18,
  CREATE_TOPICS: 19,
  INIT_PRODUCER_ID: 22,
  INCREMENTAL_ALTER_CONFIGS: 44,
  OFFSET_DELETE: 47,
} as const;

/** A bare Kafka wire client for what kafkajs cannot be made to send: resent batches, garbage, odd versions. */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private nextCorrelationId = 1;
  private readonly waiting = new Map<number, (body: Reader) => void>();
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.receive(chunk));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one request; the promise settles with the response body, or rejects if the broker hangs up. */
  request(apiKey: number, apiVersion: number, body: Writer): Promise<Reader> {
    return this.send(apiKey, apiVersion, body, false);
  }

  /**
   * Sends a flexible version (request header v2); the response body reader is flexible, past response
   * header v1's tagged fields (ApiVersions alone keeps header v0).
   */
  async requestFlexible(apiKey: number, apiVersion: number, body: Writer): Promise<Reader> {
    const response = await this.send(apiKey, apiVersion, body, true);
    response.flexible = true;
    if (apiKey !== ApiKey.API_VERSIONS) response.tags();
    return response;
  }

  private send(apiKey: number, apiVersion: number, body: Writer, flexible: boolean): Promise<Reader> {
    const correlationId = this.nextCorrelationId++;
    const header = new Writer()
      .int16(apiKey)
      .int16(apiVersion)
      .int32(correlationId)
      .nullableString('raw-client');
    if (flexible) header.uvarint(0);
    const payload = header.raw(body.toBuffer()).toBuffer();
    const frame = Buffer.alloc(4 + payload.length);
    frame.writeInt32BE(payload.length, 0);
    payload.copy(frame, 4);
    const response = new Promise<Reader>((resolve, reject) => {
      this.waiting.set(correlationId, resolve);
      void this.closed.then(() => reject(new Error(`connection closed before response ${correlationId}`)));
    });
    this.socket.write(frame);
    return response;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Stops reading the socket, so the broker's answers back up in the kernel and then in its own buffers. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
      const size = this.buffered.readInt32BE(0);
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const reader = new Reader(frame);
      const correlationId = reader.int32();
      this.waiting.get(correlationId)?.(reader);
      this.waiting.delete(correlationId);
    }
  }
}
