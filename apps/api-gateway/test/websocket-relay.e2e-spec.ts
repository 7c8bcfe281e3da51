import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import WebSocket, { WebSocketServer } from 'ws';
import { ApiGatewayModule } from '../src/api-gateway.module';
import { configureGateway } from '../src/configure-gateway';
import { WS_MAX_PAYLOAD_BYTES } from '../src/routing/websocket-relay';

/**
 * Stands in for virtual-broker's /ws: wants `bearer, good`, echoes, and closes with 4401 on "bye";
 * notes the X-Forwarded-For of each connection, the address its per-address limits count.
 */
function startSocketService(received: string[], forwardedFor: unknown[] = []): Promise<Server> {
  const server = createServer();
  const sockets = new WebSocketServer({
    server,
    maxPayload: 0,
    verifyClient: (
      info: { req: { headers: Record<string, unknown> } },
      done: (ok: boolean, code?: number) => void,
    ) =>
      String(info.req.headers['sec-websocket-protocol']).includes('good') ? done(true) : done(false, 401),
    handleProtocols: () => 'bearer',
  });
  sockets.on('connection', (socket, request) => {
    forwardedFor.push(request.headers['x-forwarded-for']);
    socket.send(JSON.stringify({ event: 'ready', data: { url: request.url } }));
    socket.on('message', (raw) => {
      const text = String(raw);
      received.push(text);
      if (text === 'bye') socket.close(4401, 'session revoked');
      else socket.send(text);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

function opened(
  url: string,
  protocols: string[],
  headers: Record<string, string> = {},
): Promise<WebSocket & { messages: string[] }> {
  const socket = Object.assign(new WebSocket(url, protocols, { headers }), { messages: [] as string[] });
  socket.on('message', (raw) => socket.messages.push(String(raw)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function startGateway(service: Server, trustProxyHops = '0'): Promise<INestApplication> {
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    VIRTUAL_BROKER_URL: `http://127.0.0.1:${(service.address() as AddressInfo).port}`,
    SAGA_ORCHESTRATOR_URL: 'http://127.0.0.1:1',
    TRUST_PROXY_HOPS: trustProxyHops,
  });
  const moduleRef = await Test.createTestingModule({ imports: [ApiGatewayModule.forRoot()] }).compile();
  const gateway = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureGateway(gateway);
  await gateway.listen(0, '127.0.0.1');
  return gateway;
}

const socketUrl = (gateway: INestApplication) =>
  `ws://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/api/virtual-broker/ws`;

describe('api-gateway WebSocket relay', () => {
  let service: Server;
  let gateway: INestApplication;
  let url: string;
  const received: string[] = [];
  const forwardedFor: unknown[] = [];

  beforeAll(async () => {
    service = await startSocketService(received, forwardedFor);
    gateway = await startGateway(service);
    url = socketUrl(gateway);
  });

  afterAll(async () => {
    await gateway.close();
    await new Promise((resolve) => service.close(resolve));
    delete process.env.TRUST_PROXY_HOPS;
  });

  it('tells the service the address it sees, not one a client claims in its own X-Forwarded-For, as for HTTP', async () => {
    forwardedFor.length = 0;
    const socket = await opened(url, ['bearer', 'good'], { 'X-Forwarded-For': '203.0.113.9' });
    socket.close();
    expect(forwardedFor).toEqual(['127.0.0.1']);
  });

  it('takes the client address from a proxy it trusts (TRUST_PROXY_HOPS), as for HTTP', async () => {
    const behindProxy = await startGateway(service, '1');
    try {
      forwardedFor.length = 0;
      const claimed = { 'X-Forwarded-For': '198.51.100.7, 203.0.113.9' };
      const socket = await opened(socketUrl(behindProxy), ['bearer', 'good'], claimed);
      socket.close();
      expect(forwardedFor).toEqual(['203.0.113.9']);
    } finally {
      await behindProxy.close();
    }
  });

  it('relays messages both ways on the path the service owns, with the subprotocol it chose', async () => {
    const socket = await opened(`${url}?x=1`, ['bearer', 'good']);
    socket.send('hello');
    await new Promise<void>((resolve) => socket.on('message', (raw) => String(raw) === 'hello' && resolve()));
    expect(socket.protocol).toBe('bearer');
    expect(JSON.parse(socket.messages[0])).toEqual({ event: 'ready', data: { url: '/ws?x=1' } });
    socket.close();
  });

  it("answers the handshake with the service's 401 when it refuses the token", async () => {
    await expect(opened(url, ['bearer', 'bad'])).rejects.toThrow(/401/);
  });

  it('answers the handshake with 502 when the service is down', async () => {
    const down = url.replace('/api/virtual-broker/ws', '/api/sagas/ws');
    await expect(opened(down, ['bearer', 'good'])).rejects.toThrow(/502/);
  });

  it('closes with 1009 on a frame over the limit, which never reaches the service', async () => {
    const socket = await opened(url, ['bearer', 'good']);
    const ended = closed(socket);
    socket.send('x'.repeat(WS_MAX_PAYLOAD_BYTES + 1));
    expect((await ended).code).toBe(1009);
    expect(received.some((message) => message.length > WS_MAX_PAYLOAD_BYTES)).toBe(false);
  });

  it("passes the service's close code and reason on to the client", async () => {
    const socket = await opened(url, ['bearer', 'good']);
    const ended = closed(socket);
    socket.send('bye');
    expect(await ended).toEqual({ code: 4401, reason: 'session revoked' });
  });
});
