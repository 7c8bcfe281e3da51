import * as net from 'node:net';

export interface LoopbackListener {
  readonly port: number;
  close(): Promise<void>;
}

const IPV6_UNAVAILABLE = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);
const EPHEMERAL_ATTEMPTS = 5;

/**
 * Listens on 127.0.0.1 and ::1 with the same port, because Node may resolve "localhost" to
 * either. IPv6 being unavailable is fine; an ephemeral port taken on ::1 is retried.
 */
export async function listenOnLoopback(
  port: number,
  onSocket: (socket: net.Socket) => void,
  onError: (error: Error) => void,
): Promise<LoopbackListener> {
  for (let attempt = 1; ; attempt++) {
    const ipv4 = await listen(net.createServer(onSocket), '127.0.0.1', port, onError);
    const actualPort = (ipv4.address() as net.AddressInfo).port;
    try {
      const ipv6 = await listen(net.createServer(onSocket), '::1', actualPort, onError);
      return {
        port: actualPort,
        close: () => Promise.all([closeServer(ipv4), closeServer(ipv6)]).then(() => undefined),
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (IPV6_UNAVAILABLE.has(code)) return { port: actualPort, close: () => closeServer(ipv4) };
      await closeServer(ipv4);
      if (port !== 0 || attempt >= EPHEMERAL_ATTEMPTS) throw error;
    }
  }
}

/** Errors after listening (say, out of file descriptors on accept) are reported, never thrown. */
function listen(
  server: net.Server,
  host: string,
  port: number,
  onError: (error: Error) => void,
): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: host === '::1' }, () => {
      server.off('error', reject);
      server.on('error', onError);
      resolve(server);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
