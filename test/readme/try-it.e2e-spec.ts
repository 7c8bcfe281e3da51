import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { useLaunchedSuite } from '../support/launched-suite';
import { TRY_IT_SCRIPT } from './try-it';

// The README's "Try it", pasted as one block against `npm start`: it has to wait for the
// connection saga before it reads the accounts, and end with an accepted order.
const GATEWAY_PORT = 3700;
const DATABASE = 'tradecore_try_it_test';

describe("the README's Try it script", () => {
  useLaunchedSuite({ database: DATABASE, gatewayPort: GATEWAY_PORT, brokerPort: 9792, redisDb: 9 });

  it('registers, connects the paper broker, waits for CONNECTED and places an order', () => {
    const email = `ada-${randomBytes(4).toString('hex')}@example.com`;
    const run = spawnSync('bash', [TRY_IT_SCRIPT], {
      env: { ...process.env, GATEWAY_PORT: String(GATEWAY_PORT), EMAIL: email },
      encoding: 'utf8',
      timeout: 90_000,
    });
    const lines = run.stdout.trimEnd().split('\n');

    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(lines[0])).toMatchObject({ userId: expect.any(String) });
    expect(lines[1]).toMatch(/^connection [0-9a-f-]{36}: CONNECTED$/);
    expect(JSON.parse(lines[2])).toMatchObject({ orderId: expect.any(String), status: expect.any(String) });
  }, 120_000);
});
