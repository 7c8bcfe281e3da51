import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { TradeUpdateJson } from './alpaca-wire';
import { acceptsSandboxCredentials } from './sandbox-credentials';

interface AuthMessage {
  action?: string;
  key?: string;
  secret?: string;
  data?: { key_id?: string; secret_key?: string; streams?: string[] };
}

export const SANDBOX_HEADER = 'X-Sandbox';
export const SANDBOX_LABEL = 'alpaca-sandbox; a local test double, not Alpaca';

/**
 * Alpaca's `/stream` (https://docs.alpaca.markets/docs/websocket-streaming): authenticate
 * (`{action:"auth",key,secret}`, or the older `{action:"authenticate",data:{key_id,secret_key}}`),
 * then `listen` to `trade_updates`; every frame is binary JSON, as paper Alpaca sends it.
 */
export class AlpacaStreamServer {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly listeners = new Map<string, Set<WebSocket>>();
  private refuseUntil = 0;
  private down = false;

  constructor() {
    this.server.on('headers', (headers) => headers.push(`${SANDBOX_HEADER}: ${SANDBOX_LABEL}`));
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.down || Date.now() < this.refuseUntil) return void socket.destroy();
    this.server.handleUpgrade(request, socket, head, (ws) => this.session(ws));
  }

  publish(keyId: string, update: TradeUpdateJson): void {
    for (const ws of this.listeners.get(keyId) ?? [])
      ws.send(Buffer.from(JSON.stringify({ stream: 'trade_updates', data: update })));
  }

  /** For tests and demos: cut every stream socket, and refuse new ones for a while. */
  drop(refuseForMs: number): number {
    this.refuseUntil = Date.now() + refuseForMs;
    const sockets = [...this.server.clients];
    sockets.forEach((ws) => ws.terminate());
    return sockets.length;
  }

  /** While down, as during an outage: every stream socket cut, new ones refused. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) this.drop(0);
  }

  close(): void {
    this.server.clients.forEach((ws) => ws.terminate());
    this.server.close();
  }

  private session(ws: WebSocket): void {
    let keyId: string | undefined;
    const send = (message: object) => ws.send(Buffer.from(JSON.stringify(message)));
    ws.on('message', (raw) => {
      let message: AuthMessage;
      try {
        message = JSON.parse(raw.toString()) as AuthMessage;
      } catch {
        return send({ stream: 'error', data: { error_message: 'invalid syntax' } });
      }
      if (message.action === 'auth' || message.action === 'authenticate') {
        const key = message.key ?? message.data?.key_id;
        const secret = message.secret ?? message.data?.secret_key;
        const authorized = acceptsSandboxCredentials(key, secret);
        send({
          stream: 'authorization',
          data: { action: 'authenticate', status: authorized ? 'authorized' : 'unauthorized' },
        });
        if (!authorized) return void ws.close(1008, 'unauthorized');
        keyId = key as string;
        return;
      }
      if (message.action === 'listen') {
        if (!keyId) return send({ stream: 'error', data: { error_message: 'unauthorized' } });
        const streams = (message.data?.streams ?? []).filter((stream) => stream === 'trade_updates');
        const sockets = this.listeners.get(keyId) ?? new Set<WebSocket>();
        if (streams.length) sockets.add(ws);
        else sockets.delete(ws);
        this.listeners.set(keyId, sockets);
        return send({ stream: 'listening', data: { streams } });
      }
      send({ stream: 'error', data: { error_message: `unknown action ${message.action}` } });
    });
    ws.on('close', () => keyId && this.listeners.get(keyId)?.delete(ws));
  }
}
