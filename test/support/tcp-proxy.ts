import { type AddressInfo, createServer, type Server, Socket } from 'node:net';

/**
 * A TCP proxy to put between a service and PostgreSQL or Redis, to cut the line the way an outage
 * does. `stop` destroys every live connection and refuses new ones; `stall` keeps connections open
 * but forwards nothing (a partition that drops packets); `start` brings it back on the same port.
 * `silenceLive` blackholes the connections open now for good while new ones work (a NAT or
 * firewall that forgot them, a failover): only a client that gives up on a connection recovers.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  private readonly silenced = new Set<Socket>();

  private constructor(
    private readonly target: { host: string; port: number },
    /** Chosen on the first start when 0, then kept, so clients reconnect to the same address. */
    public port: number,
  ) {}

  /** Listens on `port` (a free one when 0) and forwards to `target`. */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, port);
    await proxy.start();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's, for DATABASE_URL or REDIS_URL. */
  static async inFrontOf(url: string): Promise<{ proxy: TcpProxy; url: string }> {
    const parsed = new URL(url);
    const defaultPort = parsed.protocol.startsWith('redis') ? 6379 : 5432;
    const proxy = await TcpProxy.start({
      host: parsed.hostname || '127.0.0.1',
      port: Number(parsed.port || defaultPort),
    });
    parsed.hostname = '127.0.0.1';
    parsed.port = String(proxy.port);
    return { proxy, url: parsed.toString() };
  }

  async start(): Promise<void> {
    this.stalled = false;
    for (const socket of this.sockets) socket.resume();
    if (this.server) return;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Every live connection reset, and nothing listens on the port until `start`. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.stalled = false;
    for (const socket of [...this.sockets, ...this.silenced]) socket.destroy();
    this.sockets.clear();
    this.silenced.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Connections stay open and new ones are accepted, but no byte goes through until `start`. */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) socket.pause();
  }

  /** Every connection open now forwards nothing ever again (until `stop`); new ones work. */
  silenceLive(): void {
    for (const socket of this.sockets) {
      socket.pause();
      this.silenced.add(socket);
    }
    this.sockets.clear();
  }

  private forward(client: Socket): void {
    const upstream = new Socket();
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.silenced.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      if (this.stalled) socket.pause();
    }
    client.on('data', (chunk) => this.relay(chunk, upstream, client));
    upstream.on('data', (chunk) => this.relay(chunk, client, upstream));
    upstream.connect(this.target.port, this.target.host);
  }

  /** While stalled, a chunk already read goes back and its source pauses, so nothing passes until `start`. */
  private relay(chunk: Buffer, to: Socket, from: Socket): void {
    if (this.silenced.has(from)) return;
    if (!this.stalled) {
      to.write(chunk);
      return;
    }
    from.pause();
    from.unshift(chunk);
  }
}
