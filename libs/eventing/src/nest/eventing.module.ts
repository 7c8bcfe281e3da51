import { DynamicModule, Logger, MiddlewareConsumer, Module, NestModule, Provider } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { EventingEnv } from '../config/eventing.env';
import { validateEnv } from '../config/validate-env';
import { EventStore } from '../event-store/event-store';
import { ConsumersHealthIndicator } from '../health/consumers.health';
import { DatabaseHealthIndicator } from '../health/database.health';
import { HealthController } from '../health/health.controller';
import { ProjectionsHealthIndicator } from '../health/projections.health';
import { ProjectionMonitor } from '../projections/projection-monitor';
import { ProjectionOpsController } from '../projections/projection-ops.controller';
import { KafkaHealthIndicator } from '../health/kafka.health';
import { LoopHeartbeats } from '../health/loop-heartbeats';
import { LoopsHealthIndicator } from '../health/loops.health';
import { OutboxHealthIndicator } from '../health/outbox.health';
import { RedisHealthIndicator } from '../health/redis.health';
import { migrateServiceDatabase } from '../migrations/migrate-service-database';
import { CorrelationMiddleware } from '../observability/correlation.middleware';
import { HttpHopMiddleware } from '../observability/http-hop.middleware';
import { HttpHopReporter } from '../observability/http-hop.reporter';
import { HttpMetricsMiddleware } from '../observability/http-metrics.middleware';
import { loggerParams } from '../observability/logging';
import { MetricsController } from '../observability/metrics.controller';
import { PrometheusInstrumentation } from '../observability/prometheus.instrumentation';
import { OutboxRelay } from '../outbox/outbox-relay';
import { boundedConnectionSettings, poolOf } from '../postgres/pg-connection';
import { eventingPruneRules } from '../pruning/eventing-prune-rules';
import { TablePruner } from '../pruning/table-pruner';
import { PersonalData } from '../privacy/personal-data';
import { ErasureConsumer } from '../privacy/erasure.consumer';
import { EventingExceptionFilter } from './eventing-exception.filter';
import { EVENTING_OPTIONS, EventingModuleOptions } from './eventing.options';
import { EventingRuntime } from './eventing.runtime';
import { createKafka } from './kafka.factory';
import { ProcessRole, ProcessRoleGuard } from './process-role';
import { redisProviders } from './redis.providers';
import { createValidationPipe } from './validation.pipe';

type Env = ConfigService<EventingEnv, true>;

/**
 * Everything a TradeCore service needs around its domain code: validated config, logging,
 * metrics, health, the event store in its own schema, the outbox relay and its consumers.
 * Global, so feature modules inject EventStore, DataSource or Kafka without importing it.
 */
@Module({})
export class EventingModule implements NestModule {
  static forRoot(options: EventingModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: EVENTING_OPTIONS, useValue: options },
      {
        provide: ProcessRole,
        inject: [ConfigService],
        useFactory: (config: Env) => new ProcessRole(config.get('PROCESS_ROLE', { infer: true })),
      },
      ...(options.personalData ? [ErasureConsumer] : []),
      {
        provide: PrometheusInstrumentation,
        useFactory: () => new PrometheusInstrumentation({ serviceName: options.serviceName }),
      },
      {
        provide: Kafka,
        inject: [ConfigService],
        useFactory: (config: Env) =>
          createKafka(
            config.get('KAFKA_CLIENT_ID') ?? options.serviceName,
            config.get('KAFKA_BROKERS', { infer: true }),
          ),
      },
      {
        provide: LoopHeartbeats,
        inject: [ConfigService],
        useFactory: (config: Env) => new LoopHeartbeats(config.get('HEALTH_LOOP_STALL_MS', { infer: true })),
      },
      {
        provide: EventStore,
        inject: [DataSource, PrometheusInstrumentation, LoopHeartbeats, ConfigService],
        useFactory: (
          dataSource: DataSource,
          instrumentation: PrometheusInstrumentation,
          heartbeats: LoopHeartbeats,
          config: Env,
        ) => {
          const wrappingKey = config.get('DATA_KEYS_WRAPPING_KEY', { infer: true });
          instrumentation.watchPool(poolOf(dataSource));
          return new EventStore({
            dataSource,
            schema: options.schema,
            instrumentation,
            upcasters: options.upcasters,
            snapshotEvery: options.snapshotEvery,
            notifierHeartbeat: heartbeats.of('outbox-notifier'),
            personalData:
              options.personalData &&
              new PersonalData({
                dataSource,
                schema: options.schema,
                fields: options.personalData,
                wrappingKey: wrappingKey ? Buffer.from(wrappingKey, 'base64') : undefined,
              }),
          });
        },
      },
      {
        provide: OutboxRelay,
        inject: [EventStore, Kafka, ConfigService, PrometheusInstrumentation, LoopHeartbeats],
        useFactory: (
          store: EventStore,
          kafka: Kafka,
          config: Env,
          instrumentation: PrometheusInstrumentation,
          heartbeats: LoopHeartbeats,
        ) =>
          new OutboxRelay({
            dataSource: store.dataSource,
            schema: store.schema,
            kafka,
            serviceName: options.serviceName,
            instrumentation,
            pollIntervalMs: config.get('OUTBOX_POLL_INTERVAL_MS', { infer: true }),
            batchSize: config.get('OUTBOX_BATCH_SIZE', { infer: true }),
            heartbeat: heartbeats.of('outbox-relay'),
            stopTimeoutMs: config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }) / 2,
            onError: (error) =>
              new Logger('OutboxRelay').warn(`publishing failed, backing off: ${(error as Error).message}`),
          }),
      },
      {
        provide: TablePruner,
        inject: [EventStore, OutboxRelay, ConfigService, LoopHeartbeats],
        useFactory: (store: EventStore, relay: OutboxRelay, config: Env, heartbeats: LoopHeartbeats) => {
          const logger = new Logger('TablePruner');
          return new TablePruner({
            dataSource: store.dataSource,
            rules: [
              ...eventingPruneRules(store.schema, {
                inboxDays: config.get('PRUNE_INBOX_AFTER_DAYS', { infer: true }),
                deadLettersDays: config.get('PRUNE_DEAD_LETTERS_AFTER_DAYS', { infer: true }),
              }),
              ...(options.pruneRules?.(config) ?? []),
            ],
            intervalMs: config.get('PRUNE_INTERVAL_MS', { infer: true }),
            batchSize: config.get('PRUNE_BATCH_SIZE', { infer: true }),
            isLeader: () => relay.isLeader,
            heartbeat: heartbeats.of('table-pruner'),
            stopTimeoutMs: config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }) / 2,
            onError: (error) =>
              logger.warn(`pruning failed, next pass on schedule: ${(error as Error).message}`),
            onPruned: (table, rows) => logger.log(`pruned ${rows} old rows from ${table}`),
          });
        },
      },
      EventingRuntime,
      HttpHopReporter,
      DatabaseHealthIndicator,
      KafkaHealthIndicator,
      OutboxHealthIndicator,
      ConsumersHealthIndicator,
      LoopsHealthIndicator,
      ProjectionMonitor,
      ProjectionsHealthIndicator,
      ...(options.redis ? [...redisProviders, RedisHealthIndicator] : []),
      { provide: APP_FILTER, useClass: EventingExceptionFilter },
      { provide: APP_GUARD, useClass: ProcessRoleGuard },
      { provide: APP_PIPE, useFactory: createValidationPipe },
    ];
    return {
      module: EventingModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          validate: validateEnv(options.env ?? EventingEnv),
        }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: Env) =>
            loggerParams({
              serviceName: options.serviceName,
              level: config.get('LOG_LEVEL', { infer: true }),
              slowOperationMs: config.get('SLOW_OPERATION_MS', { infer: true }),
            }),
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          // Migrations first, on a connection of their own with their own timeout; the pool then opens on an up-to-date schema.
          useFactory: async (config: Env) => {
            const settings = {
              autoLoadEntities: true,
              synchronize: false,
              retryAttempts: 2,
              retryDelay: 1000,
              ...options.typeorm,
              type: 'postgres' as const,
              url: config.get('DATABASE_URL', { infer: true }),
              schema: options.schema,
              extra: {
                max: config.get('DATABASE_POOL_SIZE', { infer: true }),
                idleTimeoutMillis: config.get('DATABASE_POOL_IDLE_TIMEOUT_MS', { infer: true }),
                ...boundedConnectionSettings({
                  connectTimeoutMs: config.get('DATABASE_CONNECT_TIMEOUT_MS', { infer: true }),
                  queryTimeoutMs: config.get('DATABASE_QUERY_TIMEOUT_MS', { infer: true }),
                }),
                ...options.typeorm?.extra,
              },
            };
            await migrateServiceDatabase(
              settings,
              config.get('DATABASE_MIGRATION_TIMEOUT_MS', { infer: true }),
            );
            return { ...settings, migrationsRun: false };
          },
        }),
        // Off: a failing probe repeats every few seconds; EventingRuntime logs the cause once instead.
        TerminusModule.forRoot({ logger: false }),
        DiscoveryModule,
      ],
      controllers: [
        HealthController,
        MetricsController,
        ...(options.projections?.length ? [ProjectionOpsController] : []),
      ],
      providers,
      exports: [
        EVENTING_OPTIONS,
        EventStore,
        OutboxRelay,
        TablePruner,
        Kafka,
        PrometheusInstrumentation,
        EventingRuntime,
        LoopHeartbeats,
        ProcessRole,
        ...(options.redis ? redisProviders : []),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware, HttpMetricsMiddleware, HttpHopMiddleware).forRoutes('*');
  }
}
