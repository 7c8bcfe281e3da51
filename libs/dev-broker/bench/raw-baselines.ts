import * as net from 'node:net';
import { performance } from 'node:perf_hooks';

/** Loopback TCP with nothing on top: what the broker's numbers are compared against. */

interface Loopback {
  readonly client: net.Socket;
  close(): Promise<void>;
}

/** A server that answers every `requestSize` bytes with `responseSize` bytes, like a broker acking a request. */
async function loopback(requestSize: number, responseSize: number): Promise<Loopback> {
  const response = Buffer.alloc(responseSize);
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let pending = 0;
    socket.on('data', (chunk) => {
      pending += chunk.length;
      while (pending >= requestSize) {
        pending -= requestSize;
        socket.write(response);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const client = await new Promise<net.Socket>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
  });
  return {
    client,
    close: async () => {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Sends `count` requests one after another, each awaiting its response; returns each round trip in ms. */
export async function roundTrips(
  requestSize: number,
  responseSize: number,
  count: number,
): Promise<number[]> {
  const { client, close } = await loopback(requestSize, responseSize);
  const request = Buffer.alloc(requestSize, 1);
  const durations: number[] = [];
  let received = 0;
  let onResponse: () => void = () => undefined;
  client.on('data', (chunk) => {
    received += chunk.length;
    if (received >= responseSize) {
      received -= responseSize;
      onResponse();
    }
  });
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      onResponse = resolve;
      client.write(request);
    });
    durations.push(performance.now() - started);
  }
  await close();
  return durations;
}
