import { IsString, Length } from 'class-validator';
import { EventingEnv } from './eventing.env';
import { InvalidConfigurationError, validateEnv } from './validate-env';

class ServiceEnv extends EventingEnv {
  @IsString()
  @Length(64, 64, { message: '$property must be 64 hex characters' })
  CREDENTIALS_KEY!: string;
}

const validEnv = { CREDENTIALS_KEY: 'a'.repeat(64) };

function problemWith(raw: Record<string, unknown>): string {
  try {
    validateEnv(ServiceEnv)(raw);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('validateEnv', () => {
  it('fills every shared variable with its default', () => {
    const env = validateEnv(ServiceEnv)(validEnv);
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tradecore',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: 'localhost:9092',
      LOG_LEVEL: 'info',
      CONSUMER_MAX_ATTEMPTS: 5,
      PROCESS_ROLE: 'all',
    });
  });

  it('takes a process role in any case and names the roles there are when it is none of them', () => {
    expect(validateEnv(ServiceEnv)({ ...validEnv, PROCESS_ROLE: ' Worker ' }).PROCESS_ROLE).toBe('worker');
    expect(problemWith({ ...validEnv, PROCESS_ROLE: 'consumer' })).toContain(
      'PROCESS_ROLE must be one of all, api, worker',
    );
  });

  it('takes topic partitions as a default, per-topic counts or both, and refuses anything else', () => {
    expect(
      validateEnv(ServiceEnv)({ ...validEnv, TOPIC_PARTITIONS: '6,virtual-broker.events=12' }),
    ).toMatchObject({
      TOPIC_PARTITIONS: '6,virtual-broker.events=12',
    });
    expect(problemWith({ ...validEnv, TOPIC_PARTITIONS: 'virtual-broker.events:12' })).toContain(
      'TOPIC_PARTITIONS must be a partition count',
    );
    expect(problemWith({ ...validEnv, TOPIC_PARTITIONS: '0' })).toContain('TOPIC_PARTITIONS');
  });

  it('turns numeric strings into numbers and lets undeclared variables through untouched', () => {
    const env = validateEnv(ServiceEnv)({
      ...validEnv,
      PORT: '8080',
      OUTBOX_POLL_INTERVAL_MS: '250',
      HOME: '/root',
    });
    expect(env.PORT).toBe(8080);
    expect(env.OUTBOX_POLL_INTERVAL_MS).toBe(250);
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnv(ServiceEnv)({ ...validEnv, PORT: '' }).PORT).toBe(3000);
  });

  it('names a malformed variable, the rule and the value in one line', () => {
    expect(problemWith({ ...validEnv, PORT: 'abc' })).toBe(
      'Invalid configuration: PORT must be an integer between 1 and 65535 (got "abc")',
    );
  });

  it('refuses a heartbeat that would let one lost beat end the consumer group session', () => {
    expect(
      problemWith({ ...validEnv, KAFKA_SESSION_TIMEOUT_MS: '3000', KAFKA_HEARTBEAT_INTERVAL_MS: '1500' }),
    ).toBe(
      'Invalid configuration: KAFKA_HEARTBEAT_INTERVAL_MS must be at most a third of KAFKA_SESSION_TIMEOUT_MS (got "1500")',
    );
    expect(() =>
      validateEnv(ServiceEnv)({
        ...validEnv,
        KAFKA_SESSION_TIMEOUT_MS: '3000',
        KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
      }),
    ).not.toThrow();
  });

  it('names a missing required variable', () => {
    expect(problemWith({})).toBe(
      'Invalid configuration: CREDENTIALS_KEY must be 64 hex characters (not set)',
    );
  });

  it('reports every problem at once, still on one line', () => {
    const message = problemWith({
      ...validEnv,
      KAFKA_BROKERS: 'localhost',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
    });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('KAFKA_BROKERS must be a comma-separated list of host:port (got "localhost")');
    expect(message).toContain('DATABASE_URL must be a postgres:// connection URL (got "mysql://x")');
    expect(message).toContain(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    );
  });

  it('listens on loopback and trusts no proxy unless told otherwise', () => {
    const env = validateEnv(ServiceEnv)(validEnv);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.TRUSTED_PROXIES).toBeUndefined();
  });

  it('takes trusted proxies as addresses, CIDR ranges and named ranges, and names a bad entry', () => {
    const proxies = '127.0.0.1, 10.244.0.0/16, ::1, fd00::/8, uniquelocal';
    expect(validateEnv(ServiceEnv)({ ...validEnv, TRUSTED_PROXIES: proxies }).TRUSTED_PROXIES).toBe(proxies);
    for (const bad of ['gateway', '10.0.0.0/33', '10.0.0.1/8/2', '300.1.1.1'])
      expect(problemWith({ ...validEnv, TRUSTED_PROXIES: bad })).toContain(
        `TRUSTED_PROXIES must be a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal (got "${bad}")`,
      );
  });
});
