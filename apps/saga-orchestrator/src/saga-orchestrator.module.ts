import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@tradecore/auth';
import { topicNames, topicsOfService } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import {
  EVENTING_OPTIONS,
  EventingModule,
  EventingModuleOptions,
  PrometheusInstrumentation,
} from '@tradecore/eventing/nest';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { SagaEngine } from './engine/saga-engine';
import { SagaRepository } from './engine/saga-repository';
import { sagaCatalog, sagaDeadlinesFrom } from './sagas/saga-registry';
import { DashboardController } from './features/dashboard/dashboard.controller';
import { DlqController } from './features/dlq/dlq.controller';
import { DlqMirror } from './features/dlq/dlq-mirror';
import { SagaReplyConsumer } from './features/handle-reply/saga-reply.consumer';
import { KafkaOpsController } from './features/kafka-health/kafka-ops.controller';
import { ConsumerGroupOffsets } from './features/kafka-tools/consumer-group-offsets';
import { KafkaAdmin } from './features/kafka-tools/kafka-admin';
import { KafkaToolsController } from './features/kafka-tools/kafka-tools.controller';
import { TopicBrowser } from './features/kafka-tools/topic-browser';
import { OpsStreamController } from './features/live/ops-stream.controller';
import { SagaStatsController } from './features/live/saga-stats.controller';
import { SagasController } from './features/sagas/sagas.controller';
import { SagaTriggerConsumer } from './features/start-saga/saga-trigger.consumer';
import { TraceConsumer } from './features/trace/trace.consumer';
import { UserErasureConsumer } from './features/erasure/user-erasure.consumer';
import { TraceController } from './features/trace/trace.controller';
import { TraceRecorder } from './features/trace/trace-recorder';
import { AggregateLock } from './infrastructure/aggregate-lock';
import { SagaMetrics } from './infrastructure/saga-metrics';
import { SagaScheduler } from './infrastructure/saga-scheduler';
import { DlqMessageEntity } from './persistence/dlq-message.entity';
import { SagaDeadlineEntity } from './persistence/saga-deadline.entity';
import { SagaInstanceEntity } from './persistence/saga-instance.entity';
import { sagaPruneRules } from './persistence/saga-prune-rules';
import { SagaStepLogEntity } from './persistence/saga-step-log.entity';
import { orchestratorMigrations } from './persistence/migrations/orchestrator-migrations';
import { TraceEntryEntity } from './persistence/trace-entry.entity';
import { SagaOrchestratorEnv } from './saga-orchestrator.env';

export const SAGA_ORCHESTRATOR_SCHEMA = 'saga_orchestrator';

const entities = [
  SagaInstanceEntity,
  SagaStepLogEntity,
  SagaDeadlineEntity,
  DlqMessageEntity,
  TraceEntryEntity,
];

/** Runs the sagas (engine, deadlines, locks) and the operators' API over sagas, dead letters, Kafka and traces. */
@Module({})
export class SagaOrchestratorModule {
  static forRoot(schema = SAGA_ORCHESTRATOR_SCHEMA): DynamicModule {
    return {
      module: SagaOrchestratorModule,
      imports: [
        EventingModule.forRoot({
          serviceName: 'saga-orchestrator',
          schema,
          redis: true,
          env: SagaOrchestratorEnv,
          topics: topicsOfService('saga-orchestrator', topicNames),
          pruneRules: (eventingConfig) => {
            const config = eventingConfig as ConfigService<SagaOrchestratorEnv, true>;
            return sagaPruneRules(schema, {
              traceDays: config.get('PRUNE_TRACE_AFTER_DAYS', { infer: true }),
              stepLogDays: config.get('PRUNE_SAGA_STEP_LOG_AFTER_DAYS', { infer: true }),
              dlqMessageDays: config.get('PRUNE_DLQ_MESSAGES_AFTER_DAYS', { infer: true }),
            });
          },
          typeorm: {
            entities,
            migrations: orchestratorMigrations,
            migrationsRun: true,
            migrationsTableName: 'typeorm_migrations',
          },
        }),
        TypeOrmModule.forFeature(entities),
        AuthModule.forRoot(),
      ],
      controllers: [
        SagasController,
        DlqController,
        KafkaOpsController,
        KafkaToolsController,
        TraceController,
        SagaStatsController,
        OpsStreamController,
        DashboardController,
      ],
      providers: [
        KafkaAdmin,
        ConsumerGroupOffsets,
        TopicBrowser,
        {
          provide: TraceRecorder,
          inject: [EVENTING_OPTIONS],
          useFactory: (options: EventingModuleOptions) => new TraceRecorder(options.schema),
        },
        {
          provide: SagaMetrics,
          inject: [PrometheusInstrumentation, DataSource, EVENTING_OPTIONS],
          useFactory: (
            instrumentation: PrometheusInstrumentation,
            dataSource: DataSource,
            options: EventingModuleOptions,
          ) => new SagaMetrics(instrumentation.registry, dataSource, options.schema),
        },
        {
          provide: SagaEngine,
          inject: [EventStore, Redis, ConfigService, SagaMetrics, TraceRecorder],
          useFactory: (
            store: EventStore,
            redis: Redis,
            config: ConfigService<SagaOrchestratorEnv, true>,
            metrics: SagaMetrics,
            trace: TraceRecorder,
          ) =>
            new SagaEngine({
              dataSource: store.dataSource,
              lock: new AggregateLock(redis, store.schema, config.get('SAGA_LOCK_TTL_MS', { infer: true })),
              repository: new SagaRepository(store.schema),
              metrics,
              sagas: sagaCatalog,
              trace,
              timeoutScale: config.get('SAGA_TIMEOUT_SCALE', { infer: true }),
              sagaDeadlinesMs: sagaDeadlinesFrom(config.get('SAGA_DEADLINES_MS', { infer: true })),
            }),
        },
        SagaScheduler,
        SagaTriggerConsumer,
        SagaReplyConsumer,
        TraceConsumer,
        UserErasureConsumer,
        DlqMirror,
      ],
    };
  }
}
