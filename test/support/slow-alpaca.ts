import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An Alpaca that takes its time to say who a key belongs to, as a real one under load may. */
export async function startSlowAlpaca(delayMs: number): Promise<{ url: string; stop(): void }> {
  const server: Server = createServer((_request, response) => {
    setTimeout(() => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          account_number: `PA${randomBytes(4).toString('hex')}`,
          status: 'ACTIVE',
          currency: 'USD',
          cash: '1000',
          buying_power: '1000',
          equity: '1000',
          multiplier: '1',
        }),
      );
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
