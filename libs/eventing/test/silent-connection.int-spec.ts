import { DataSource } from 'typeorm';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { boundedConnectionSettings, poolOf } from '../src/postgres/pg-connection';
import { createTestSchema, type TestSchema } from '../src/testing';

const QUERY_TIMEOUT_MS = 500;

/**
 * A connection whose line went silent for good (the proxy blackholes it, new connections pass):
 * the query timeout fails the query, and the pool must not hand that connection out again, or
 * every later query on it waits out the timeout too and the service never recovers.
 */
describe('a pool connection whose query timed out on a silent line', () => {
  let db: TestSchema;
  let proxy: TcpProxy;
  let proxied: DataSource;

  beforeEach(async () => {
    db = await createTestSchema('silent');
    const front = await TcpProxy.inFrontOf(db.databaseUrl);
    proxy = front.proxy;
    // What EventingModule gives every service's pool; one connection, so a kept broken one is the only one.
    proxied = new DataSource({
      type: 'postgres',
      url: front.url,
      extra: {
        max: 1,
        ...boundedConnectionSettings({ connectTimeoutMs: 1000, queryTimeoutMs: QUERY_TIMEOUT_MS }),
      },
    });
    await proxied.initialize();
    expect(await proxied.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
  afterEach(async () => {
    await proxy.stop();
    await proxied.destroy().catch(() => undefined);
    await db.drop();
  });

  it('is dropped, and the next query gets a new connection that answers', async () => {
    proxy.silenceLive();

    await expect(proxied.query('SELECT 1 AS ok')).rejects.toThrow('Query read timeout');

    const started = Date.now();
    expect(await proxied.query('SELECT 2 AS ok')).toEqual([{ ok: 2 }]);
    expect(Date.now() - started).toBeLessThan(QUERY_TIMEOUT_MS);
    expect(poolOf(proxied).totalCount).toBe(1);
  });

  it('is dropped when the query was inside a transaction, whose rollback cannot reach the server either', async () => {
    proxy.silenceLive();

    await expect(proxied.transaction((manager) => manager.query('SELECT 1 AS ok'))).rejects.toThrow(
      'Query read timeout',
    );

    expect(await proxied.transaction((manager) => manager.query('SELECT 3 AS ok'))).toEqual([{ ok: 3 }]);
  });
});
