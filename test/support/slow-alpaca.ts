import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An amount no other account holds, so a scan for it finds this account's copies only. */
const uniqueAmount = () => `${randomInt(1_000_000, 9_999_999)}.${randomInt(10, 99)}`;

/**
 * An Alpaca that takes its time to say who a key belongs to, as a real one under load may. Every
 * answer names a new account number and balances of its own.
 */
export async function startSlowAlpaca(delayMs: number): Promise<{ url: string; stop(): void }> {
  const server: Server = createServer((_request, response) => {
    setTimeout(() => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          account_number: `PA${randomBytes(4).toString('hex')}`,
          status: 'ACTIVE',
          currency: 'USD',
          cash: uniqueAmount(),
          buying_power: uniqueAmount(),
          equity: uniqueAmount(),
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
