import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { eventually } from '@tradecore/eventing/testing';
import type { EventStore } from '@tradecore/eventing';
import type { VirtualBrokerEnv } from '../virtual-broker.env';
import { QuoteTicker } from './quote-ticker';
import { LoopHeartbeats } from '@tradecore/eventing/nest';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCHEMA = `virtual_broker_channels_${process.pid}`;

const config = new ConfigService<VirtualBrokerEnv, true>({
  QUOTE_TICK_MS: 0,
  QUOTE_SEED: 7,
  QUOTE_SYMBOLS: 'AAPL:190.00',
  QUOTE_SPREAD_BPS: 5,
  QUOTE_VOLATILITY_BPS: 20,
  QUOTE_MIN_SIZE: 100,
  QUOTE_MAX_SIZE: 1000,
});

function redisOnDatabase(db: number): Redis {
  const url = new URL(REDIS);
  url.pathname = `/${db}`;
  return new Redis(url.toString());
}

// Two deployments with the same schema name on one Redis server, told apart by database number.
describe('QuoteTicker channels', () => {
  const connections = [redisOnDatabase(11), redisOnDatabase(11), redisOnDatabase(12)];
  const [leader, sameDeployment, otherDeployment] = connections.map(
    (redis) => new QuoteTicker(config, redis, { schema: SCHEMA } as EventStore, new LoopHeartbeats(60_000)),
  );

  beforeAll(async () => {
    for (const ticker of [leader, sameDeployment, otherDeployment]) await ticker.onModuleInit();
  });

  afterAll(async () => {
    for (const ticker of [leader, sameDeployment, otherDeployment]) await ticker.onModuleDestroy();
    for (const redis of connections) redis.disconnect();
  });

  it("given a tick on one database, a replica on it prices it and another database's deployment does not", async () => {
    await leader.advance(3);
    await eventually(() => sameDeployment.tick >= 3, Infinity, 10);

    expect(sameDeployment.current('AAPL')).toEqual(leader.current('AAPL'));
    expect(otherDeployment.tick).toBe(0);
  });
});
