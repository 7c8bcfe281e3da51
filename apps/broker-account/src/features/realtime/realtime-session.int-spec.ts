import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import WebSocket, { WebSocketServer } from 'ws';
import { eventually } from '@tradecore/eventing/testing';
import type { RealtimeUpdate } from '../../domain/realtime-updates';
import { UserUpdateLog } from '../../infrastructure/user-update-log';
import { CLOSE_TOO_SLOW, RealtimeSession } from './realtime-session';

/** The user's log in a real Redis and sessions on real sockets; Kafka and the gateway play no part here. */
describe('real-time sessions over a user update log', () => {
  const namespace = `test:realtime:${randomUUID()}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const log = new UserUpdateLog(redis, { namespace, windowMs: 60_000, maxUpdates: 40 });
  let server: Server;
  let sockets: WebSocketServer;
  const serverSockets: WebSocket[] = [];
  let maxWaiting = 1000;

  const update = (n: number, padding = 0): RealtimeUpdate => ({
    type: 'order',
    at: new Date().toISOString(),
    payload: { n, padding: 'x'.repeat(padding) },
  });

  beforeAll(async () => {
    server = createServer();
    sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket, request) => {
      serverSockets.push(socket);
      const url = new URL(request.url ?? '/', 'http://localhost');
      const session = new RealtimeSession(socket, url.searchParams.get('user')!, log, maxWaiting);
      socket.once('close', () => session.stop());
      const since = url.searchParams.get('since');
      void session.start(since === null ? undefined : Number(since));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    sockets.clients.forEach((client) => client.terminate());
    await new Promise((resolve) => server.close(resolve));
    await log.onModuleDestroy();
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  interface Client {
    socket: WebSocket;
    frames: unknown[];
    /** Every message in order, batches unpacked. */
    messages: { seq?: number; type: string; payload: Record<string, unknown> }[];
  }

  async function connect(user: string, since?: number): Promise<Client> {
    const query = `user=${user}${since === undefined ? '' : `&since=${since}`}`;
    const socket = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/?${query}`);
    const client: Client = { socket, frames: [], messages: [] };
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      client.frames.push(frame);
      client.messages.push(...(Array.isArray(frame) ? frame : [frame]));
    });
    await new Promise((resolve) => socket.once('open', resolve));
    await eventually(async () => (client.messages[0]?.type === 'welcome' ? true : undefined), 5000);
    return client;
  }

  const seqsOf = (client: Client) => client.messages.filter((m) => m.seq !== undefined).map((m) => m.seq);

  it('numbers each user on its own, never twice for one message, and reads back in order', async () => {
    const user = randomUUID();
    expect(await log.append(user, 'm1', update(1))).toBe(1);
    expect(await log.append(user, 'm2', update(2))).toBe(2);
    expect(await log.append(user, 'm1', update(1))).toBe(0);
    expect(await log.append(randomUUID(), 'm1', update(1))).toBe(1);
    const read = await log.readAfter(user, 0);
    expect(read).toMatchObject({ kind: 'updates', latest: 2 });
    expect(read.kind === 'updates' && read.updates.map((u) => JSON.parse(u.json).payload.n)).toEqual([1, 2]);
  });

  it('logs several updates of one message in one call, in order, skipping the keys it logged already', async () => {
    const user = randomUUID();
    await log.append(user, 'm1:balance', update(1));
    const entries = [
      { messageKey: 'm1', update: update(2) },
      { messageKey: 'm1:balance', update: update(1) },
      { messageKey: 'm1:position', update: update(3) },
    ];
    expect(await log.appendAll(user, entries)).toEqual([2, 0, 3]);
    expect(await log.appendAll(user, entries)).toEqual([0, 0, 0]);
    const read = await log.readAfter(user, 0);
    expect(read.kind === 'updates' && read.updates.map((u) => JSON.parse(u.json).payload.n)).toEqual([
      1, 2, 3,
    ]);
  });

  it('tells a reader to resync when what it missed is no longer kept, or it claims a seq never given', async () => {
    const user = randomUUID();
    for (let n = 1; n <= 120; n++) await log.append(user, `m${n}`, update(n));
    expect(await log.readAfter(user, 1)).toEqual({ kind: 'resync', latest: 120 });
    expect(await log.readAfter(user, 500)).toEqual({ kind: 'resync', latest: 120 });
    expect((await log.readAfter(user, 110)).kind).toBe('updates');
  });

  it('delivers live updates in seq order, and a resume with since gets exactly the missed ones, batched', async () => {
    const user = randomUUID();
    const first = await connect(user);
    for (let n = 1; n <= 5; n++) await log.append(user, `m${n}`, update(n));
    await eventually(async () => (seqsOf(first).length === 5 ? true : undefined), 5000);
    expect(seqsOf(first)).toEqual([1, 2, 3, 4, 5]);
    first.socket.close();
    for (let n = 6; n <= 30; n++) await log.append(user, `m${n}`, update(n));
    const resumed = await connect(user, 5);
    await eventually(async () => (seqsOf(resumed).length === 25 ? true : undefined), 5000);
    expect(seqsOf(resumed)).toEqual(Array.from({ length: 25 }, (_, i) => i + 6));
    expect(resumed.frames.some(Array.isArray)).toBe(true);
    await log.append(user, 'm31', update(31));
    await eventually(async () => (seqsOf(resumed).at(-1) === 31 ? true : undefined), 5000);
    resumed.socket.close();
  });

  it('cuts a client that never reads with 4008, which it hears once it reads again', async () => {
    maxWaiting = 20;
    const user = randomUUID();
    const stuck = await connect(user);
    const held = serverSockets.at(-1)!;
    (stuck.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    for (let n = 1; n <= 400; n++) await log.append(user, `m${n}`, update(n, 32_768));
    await eventually(async () => (held.readyState === held.CLOSING ? true : undefined), 10_000);
    const closed = new Promise<number>((resolve) => stuck.socket.once('close', resolve));
    (stuck.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(CLOSE_TOO_SLOW);
    expect(seqsOf(stuck).length).toBeLessThan(400);
    maxWaiting = 1000;
  }, 30_000);
});
