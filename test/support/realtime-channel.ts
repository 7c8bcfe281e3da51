import WebSocket from 'ws';
import { eventually } from '../chaos/support/chaos-stack';

export interface RealtimeMessage {
  readonly seq?: number;
  readonly type: string;
  readonly at: string;
  readonly payload: Record<string, unknown>;
}

/** A socket on /api/realtime through the gateway that keeps every message (batches unpacked) and how it closed. */
export class Channel {
  readonly messages: RealtimeMessage[] = [];
  readonly raw: string[] = [];
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as RealtimeMessage | RealtimeMessage[];
      for (const message of Array.isArray(frame) ? frame : [frame]) {
        this.messages.push(message);
        if (message.seq !== undefined) this.raw.push(JSON.stringify(message));
      }
    });
    this.closed = new Promise((resolve) => socket.once('close', resolve));
  }

  static async open(gatewayPort: number, token: string, since?: number): Promise<Channel> {
    const query = since === undefined ? '' : `?since=${since}`;
    const socket = new WebSocket(`ws://127.0.0.1:${gatewayPort}/api/realtime${query}`, ['bearer', token]);
    const channel = new Channel(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    await eventually(async () => channel.control('welcome'), 10_000);
    return channel;
  }

  get updates(): RealtimeMessage[] {
    return this.messages.filter((message) => message.seq !== undefined);
  }

  control(type: string): RealtimeMessage | undefined {
    return this.messages.find((message) => message.seq === undefined && message.type === type);
  }

  /** The first update of `type` whose payload matches every field of `fields`, once it arrived. */
  awaitUpdate(type: string, fields: Record<string, unknown>, timeoutMs = 30_000): Promise<RealtimeMessage> {
    return eventually(
      async () =>
        this.updates.find(
          (update) =>
            update.type === type &&
            Object.entries(fields).every(([name, value]) => update.payload[name] === value),
        ),
      timeoutMs,
    );
  }

  get readPaused(): { pause(): void; resume(): void } {
    return (this.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  }
}
