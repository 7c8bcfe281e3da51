import type { Socket } from 'node:net';
import type { ApiRegistry } from '../apis/api-registry';
import type { BrokerLogger } from '../logger';
import { Connection } from './connection';
import { listenOnLoopback, type LoopbackListener } from './loopback-listener';

export interface BrokerServerOptions {
  readonly port: number;
  readonly nodes: number;
  readonly host: string;
  readonly maxFrameSize: number;
  readonly logger: BrokerLogger;
}

/**
 * The listening side of every node: one port per node, consecutive from `port`, or each
 * ephemeral when `port` is 0. Requests are served once a registry is attached.
 */
export class BrokerServer {
  private readonly connections = new Set<Connection>();
  private registry?: ApiRegistry;
  private nextConnectionId = 1;

  private constructor(
    private readonly options: BrokerServerOptions,
    private readonly listeners: LoopbackListener[],
  ) {}

  static async listen(options: BrokerServerOptions): Promise<BrokerServer> {
    const listeners: LoopbackListener[] = [];
    const server = new BrokerServer(options, listeners);
    try {
      for (let nodeId = 0; nodeId < options.nodes; nodeId++) {
        const port = options.port === 0 ? 0 : options.port + nodeId;
        const onError = (error: Error) =>
          options.logger.error(`dev-broker: node ${nodeId}: ${error.message}`);
        listeners.push(await listenOnLoopback(port, (socket) => server.accept(socket, nodeId), onError));
      }
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  get ports(): number[] {
    return this.listeners.map((listener) => listener.port);
  }

  serve(registry: ApiRegistry): void {
    this.registry = registry;
  }

  async close(): Promise<void> {
    const closing = this.listeners.map((listener) => listener.close());
    for (const connection of this.connections) connection.close();
    await Promise.all(closing);
  }

  private accept(socket: Socket, nodeId: number): void {
    if (!this.registry) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, {
      id: this.nextConnectionId++,
      nodeId,
      host: this.options.host,
      registry: this.registry,
      maxFrameSize: this.options.maxFrameSize,
      logger: this.options.logger,
    });
    this.connections.add(connection);
    socket.once('close', () => this.connections.delete(connection));
  }
}
