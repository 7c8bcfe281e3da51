import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LaunchedSuite } from '../support/launched-suite';
import { TRY_IT_SCRIPT } from './try-it';

// The README's "Try it", pasted as one block against `npm start`: it has to wait for the
// connection saga before it reads the accounts, and end with an accepted order.
const GATEWAY_PORT = 3700;
const DATABASE = 'tradecore_try_it_test';

describe("the README's Try it script", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'try-it-'));
  let suite: LaunchedSuite | undefined;

  beforeAll(async () => {
    const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GATEWAY_PORT: String(GATEWAY_PORT),
      DEV_BROKER_PORT: '9792',
      DEV_BROKER_DATA_DIR: join(dataDir, 'kafka'),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DATABASE}`,
      REDIS_URL: 'redis://127.0.0.1:6379/9',
    };
    delete env.KAFKA_BROKERS;
    suite = await LaunchedSuite.start(env, join(dataDir, 'suite.log'));
  }, 300_000);

  afterAll(async () => {
    await suite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

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
