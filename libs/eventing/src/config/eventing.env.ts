import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { TrustedProxyList } from './trusted-proxies';

/** An integer variable within bounds, with one message naming both; for every service's env class. */
export function Integer(min: number, max: number): PropertyDecorator {
  const message = `$property must be an integer between ${min} and ${max}`;
  const decorators = [Type(() => Number), IsInt({ message }), Min(min, { message }), Max(max, { message })];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;

/**
 * The variables every service reads. A service with more extends this class and passes
 * its own to `EventingModule.forRoot({ env })`; docs/configuration.md lists them all.
 */
export class EventingEnv {
  @IsIn(['development', 'test', 'production'], {
    message: '$property must be one of development, test, production',
  })
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Integer(1, 65535)
  PORT = 3000;

  /** all: HTTP and background work; api: HTTP only; worker: consumers, relay and loops, HTTP only for /health and /metrics. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(PROCESS_ROLES, {
    message: `$property must be one of ${PROCESS_ROLES.join(', ')} (api: HTTP only; worker: consumers, relay and schedulers)`,
  })
  PROCESS_ROLE: (typeof PROCESS_ROLES)[number] = 'all';

  // Loopback unless told otherwise: a service reached only through the gateway should not answer the network.
  @Matches(/^[A-Za-z0-9.:-]+$/, {
    message: '$property must be an interface address or host name, e.g. 0.0.0.0',
  })
  HOST = '127.0.0.1';

  @IsOptional()
  @TrustedProxyList()
  TRUSTED_PROXIES?: string;

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// connection URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tradecore';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// connection URL' })
  DATABASE_ADMIN_URL?: string;

  @IsOptional()
  @IsString()
  DATABASE_PASSWORD?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: '$property must be 32 bytes in base64 (openssl rand -base64 32)',
  })
  DATA_KEYS_WRAPPING_KEY?: string;

  @Integer(1, 200)
  DATABASE_POOL_SIZE = 10;

  /**
   * How long a pooled connection may sit idle before it is closed (0: never). A new one costs a
   * backend process and its cold caches (tens of milliseconds on the first statements), so the
   * pool keeps what a burst opened for minutes, not pg's default 10 s.
   */
  @Integer(0, 86_400_000)
  DATABASE_POOL_IDLE_TIMEOUT_MS = 300_000;

  @Integer(100, 600_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  @Integer(100, 3_600_000)
  DATABASE_QUERY_TIMEOUT_MS = 30_000;

  @Integer(0, 86_400_000)
  DATABASE_MIGRATION_TIMEOUT_MS = 600_000;

  @Matches(/^rediss?:\/\/\S+$/, { message: '$property must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Integer(100, 600_000)
  REDIS_COMMAND_TIMEOUT_MS = 5000;

  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: '$property must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS = 'localhost:9092';

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: '$property may only contain letters, digits, ".", "_" and "-"' })
  KAFKA_CLIENT_ID?: string;

  @Integer(500, 600_000)
  KAFKA_TOPIC_RECHECK_MS = 5000;

  /** Partitions of the owned topics: a default, per-topic counts, or both (`6,virtual-broker.events=12`). */
  @IsOptional()
  @Matches(/^\s*([A-Za-z0-9._-]+=)?([1-9]\d{0,3})\s*(,\s*([A-Za-z0-9._-]+=)?([1-9]\d{0,3})\s*)*$/, {
    message:
      '$property must be a partition count, name=count pairs, or both, comma-separated (e.g. 6,virtual-broker.events=12)',
  })
  TOPIC_PARTITIONS?: string;

  // A killed process's partitions wait this long for it; Kafka and Redpanda accept it only down to
  // the cluster's group.min.session.timeout.ms (docs/configuration.md).
  @Integer(100, 300_000)
  KAFKA_SESSION_TIMEOUT_MS = 4000;

  @Integer(50, 100_000)
  @ValidateBy({
    name: 'withinSession',
    validator: {
      validate: (value, args) => Number(value) * 3 <= (args?.object as EventingEnv).KAFKA_SESSION_TIMEOUT_MS,
      defaultMessage: () => '$property must be at most a third of KAFKA_SESSION_TIMEOUT_MS',
    },
  })
  KAFKA_HEARTBEAT_INTERVAL_MS = 1000;

  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(LOG_LEVELS, { message: `$property must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Integer(1, 3_600_000)
  SLOW_OPERATION_MS = 1000;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, {
    message: '$property must be an http(s):// URL, e.g. http://jaeger:4318',
  })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @Integer(10, 600_000)
  OUTBOX_POLL_INTERVAL_MS = 1000;

  @Integer(1, 10_000)
  OUTBOX_BATCH_SIZE = 100;

  @Integer(1, 100)
  CONSUMER_MAX_ATTEMPTS = 5;

  @Integer(1, 600_000)
  CONSUMER_RETRY_BASE_MS = 200;

  @Integer(1, 3_600_000)
  CONSUMER_RETRY_MAX_MS = 30_000;

  @Integer(1, 64)
  CONSUMER_CONCURRENCY = 3;

  /** Most messages of one partition's fetch a consumer handles in one transaction; 1 gives each its own. */
  @Integer(1, 10_000)
  CONSUMER_BATCH_MAX_MESSAGES = 50;

  /** How often each service asks Kafka how far its consumer groups are behind; 0 turns it off. */
  @Integer(0, 3_600_000)
  CONSUMER_LAG_INTERVAL_MS = 15_000;

  @Integer(1000, 86_400_000)
  HEALTH_OUTBOX_MAX_AGE_MS = 60_000;

  @Integer(100, 60_000)
  HEALTH_TIMEOUT_MS = 3000;

  @Integer(500, 3_600_000)
  HEALTH_LOOP_STALL_MS = 120_000;

  @Integer(100, 600_000)
  SHUTDOWN_TIMEOUT_MS = 15_000;

  @Integer(1000, 86_400_000)
  PRUNE_INTERVAL_MS = 600_000;

  @Integer(1, 100_000)
  PRUNE_BATCH_SIZE = 1000;

  // 0 turns the scheduled check off; GET/POST /ops/projections still check on demand.
  @Integer(0, 86_400_000)
  PROJECTION_DRIFT_INTERVAL_MS = 300_000;

  @Integer(1, 100_000)
  PROJECTION_DRIFT_SAMPLE_STREAMS = 100;

  // 0 keeps a table whole; docs/operations.md says why each default is what it is.
  @Integer(0, 3650)
  PRUNE_INBOX_AFTER_DAYS = 30;

  @Integer(0, 3650)
  PRUNE_DEAD_LETTERS_AFTER_DAYS = 30;

  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,]+)(\s*,\s*(\*|https?:\/\/[^\s,]+))*$/, {
    message: '$property must be "*" or a comma-separated list of http(s):// origins',
  })
  CORS_ORIGINS?: string;
}
