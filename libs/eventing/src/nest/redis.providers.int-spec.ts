import Redis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { TcpProxy } from '../../../../test/support/tcp-proxy';
import { serviceRedis } from './redis.providers';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('a service Redis client through an outage', () => {
  let proxy: TcpProxy;
  let client: Redis;
  const direct = new Redis(REDIS_URL);
  const key = `redis-outage-test:${uuidv7()}`;

  beforeAll(async () => {
    const front = await TcpProxy.inFrontOf(REDIS_URL);
    proxy = front.proxy;
    client = serviceRedis(front.url, 300);
    await client.ping();
  });

  afterAll(async () => {
    client.disconnect();
    await proxy.stop();
    await direct.del(key);
    direct.disconnect();
  });

  it('never runs later a command its caller was told had failed, whether queued or in flight', async () => {
    proxy.stall();
    await expect(client.incr(key)).rejects.toThrow();
    await proxy.stop();
    for (let i = 0; i < 3; i++) await expect(client.incr(key)).rejects.toThrow();
    await proxy.start();
    await new Promise((resolve) => client.once('ready', resolve));
    expect(await client.incr(key)).toBe(1);
  });
});
