import type { Socket } from 'node:net';
import { API_VERSIONS_KEY, unsupportedApiVersionsResponse } from '../apis/api-versions.api';
import type { ApiRegistry } from '../apis/api-registry';
import type { BrokerLogger } from '../logger';
import type { RequestContext } from '../protocol/api-handler';
import { Reader } from '../protocol/reader';
import type { Writer } from '../protocol/writer';
import { FrameDecoder } from './frame-decoder';

export interface ConnectionOptions {
  readonly id: number;
  readonly nodeId: number;
  readonly host: string;
  readonly registry: ApiRegistry;
  readonly maxFrameSize: number;
  readonly logger: BrokerLogger;
}

/** A response slot, filled when its handler finishes; slots leave strictly in request order. */
interface Slot {
  done: boolean;
  correlationId: number;
  body: Writer | null;
  /** Response header v1: the correlation id followed by (empty) tagged fields. */
  taggedHeader: boolean;
}

/**
 * One client socket. Requests are pipelined and handlers may be async, so responses wait in
 * a queue until every earlier one has gone out. Anything the broker cannot make sense of
 * costs this connection only.
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly pending: Slot[] = [];
  private readonly clientAddress: string;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.decoder = new FrameDecoder(options.maxFrameSize);
    this.clientAddress = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const slot of this.pending.splice(0)) slot.body?.release();
    if (reason)
      this.options.logger.warn(
        `dev-broker: node ${this.options.nodeId} closed connection from ${this.clientAddress}: ${reason}`,
      );
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    try {
      for (const frame of this.decoder.push(chunk)) {
        if (this.closed) return;
        this.dispatch(frame);
      }
    } catch (error) {
      this.close((error as Error).message);
    }
  }

  /** The frame as the chunks it arrived in; handlers may keep views into them. */
  private dispatch(frame: readonly Buffer[]): void {
    const reader = new Reader(frame);
    const apiKey = reader.int16();
    const handler = this.options.registry.get(apiKey);
    const apiVersion = reader.int16();
    const correlationId = reader.int32();
    const slot: Slot = { done: false, correlationId, body: null, taggedHeader: false };
    if (!handler || apiVersion < handler.minVersion || apiVersion > handler.maxVersion) {
      if (apiKey !== API_VERSIONS_KEY) throw new Error(`unsupported API ${apiKey} v${apiVersion}`);
      this.pending.push(slot);
      this.respond(slot, unsupportedApiVersionsResponse(this.options.registry.all()));
      return;
    }
    const clientId = reader.nullableString();
    const flexible = handler.flexibleFrom !== undefined && apiVersion >= handler.flexibleFrom;
    if (flexible) {
      reader.flexible = true;
      reader.tags();
    }
    // ApiVersions keeps response header v0 in every version, so a client can always read the answer.
    slot.taggedHeader = flexible && apiKey !== API_VERSIONS_KEY;
    const context: RequestContext = {
      apiKey,
      apiVersion,
      correlationId,
      clientId,
      flexible,
      body: reader,
      connectionId: this.options.id,
      nodeId: this.options.nodeId,
      host: this.options.host,
      clientAddress: this.clientAddress,
    };
    const failed = (error: unknown) =>
      this.close(`${handler.name} v${apiVersion} failed: ${(error as Error).message}`);
    this.pending.push(slot);
    let result: ReturnType<typeof handler.handle>;
    try {
      result = handler.handle(context);
    } catch (error) {
      failed(error);
      return;
    }
    if (result instanceof Promise) result.then((body) => this.respond(slot, body)).catch(failed);
    else this.respond(slot, result);
  }

  private respond(slot: Slot, body: Writer | null): void {
    if (this.closed) {
      body?.release();
      return;
    }
    slot.done = true;
    slot.body = body;
    if (this.pending[0] !== slot) return;
    // Corked, every response ready now leaves in one writev, pieces and all.
    this.socket.cork();
    while (this.pending.length > 0 && this.pending[0].done) {
      const next = this.pending.shift() as Slot;
      if (next.body) this.write(next, next.body);
    }
    this.socket.uncork();
  }

  /**
   * The header, then the body's pieces as they are: stored batches a fetch attached are not copied,
   * so the body is released (its pooled read buffers reused) only when the socket is done with the
   * last piece. Node calls a write's callback once libuv no longer holds the bytes, after an error too.
   */
  private write({ correlationId, taggedHeader }: Slot, body: Writer): void {
    const headerSize = taggedHeader ? 5 : 4;
    const header = Buffer.alloc(4 + headerSize);
    header.writeInt32BE(body.size + headerSize, 0);
    header.writeInt32BE(correlationId, 4);
    const pieces = [header, ...body.toBuffers()];
    const last = pieces.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(pieces[i]);
    if (body.holdsLent) this.socket.write(pieces[last], () => body.release());
    else this.socket.write(pieces[last]);
  }
}
