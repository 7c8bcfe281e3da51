export type { Envelope, MessageMetadata, Received } from './envelope/envelope';
export { contractMessageOf, flatEvent, isMessageOfType } from './envelope/envelope';
export type { MessageContext } from './envelope/message-context';
export {
  amendMessageContext,
  contextOfEnvelope,
  currentMessageContext,
  metadataFromContext,
  newMessageId,
  runInMessageContext,
} from './envelope/message-context';
export type { InvalidMessageReason, KafkaRecord } from './envelope/kafka-message';
export {
  InvalidMessageError,
  headersToStrings,
  parseEnvelope,
  toKafkaRecord,
} from './envelope/kafka-message';

export type { EventingMigration } from './migrations/eventing-migrations';
export { eventingMigrations, migrateEventing } from './migrations/eventing-migrations';
export { outboxChannel } from './migrations/sql-identifiers';
export { notifyRelayIfQueued, queueOutboxRows } from './outbox/outbox-statements';
export type { ServiceDatabase } from './migrations/provision-service-database';
export { ensureDatabase, provisionServiceDatabase } from './migrations/provision-service-database';
export type { ServiceDatabaseSettings } from './migrations/prepare-service-database';
export { prepareServiceDatabase } from './migrations/prepare-service-database';

export type { PreparedStatement } from './postgres/prepared-statement';
export { prepared, queryPrepared } from './postgres/prepared-statement';
export type { NamedStatement, Placeholders } from './postgres/named-statement';
export { namedStatement } from './postgres/named-statement';

export type { EventStoreOptions } from './event-store/event-store';
export { EventStore } from './event-store/event-store';
export type {
  AppendOptions,
  AppendResult,
  InlineProjector,
  NewEvent,
  Snapshot,
  StoredEvent,
  StreamFromSnapshot,
  TopicRoute,
} from './event-store/event-store.types';
export type { Upcaster, UpcasterChain } from './event-store/upcaster';
export { upcasterChain } from './event-store/upcaster';
export { VersionConflictError } from './event-store/version-conflict.error';

export type { Decider } from './decider/decider';
export { crossesSnapshotInterval, foldEvents } from './decider/decider';
export { DomainError } from './decider/domain-error';
export type { CommandResult, LoadedStream } from './decider/handle-command';
export type { CommandOptions, CommandPath, CommandPathConfig } from './decider/command-path';
export { commandPath } from './decider/command-path';
export { KeyedQueue } from './decider/keyed-queue';
export { afterCommit } from './postgres/after-commit';

export type { AnswerSagaCommandOptions, Refusal, SagaReplying } from './saga/answer-saga-command';
export type {
  CommandContext,
  CommandTopic,
  ParticipantOf,
  ParticipantOptions,
  PayloadOf,
  SagaContext,
} from './saga/saga-participant';
export { SagaParticipant } from './saga/saga-participant';
export { validatedPayload } from './saga/validated-payload';

export type { OutboxBacklog, OutboxRelayOptions } from './outbox/outbox-relay';
export { OutboxRelay } from './outbox/outbox-relay';
export type { OutboxRecord, OutgoingMessage } from './outbox/outgoing-message';
export { envelopeOfMessage, outboxRecordOf } from './outbox/outgoing-message';
export type { EventingPruneAges } from './pruning/eventing-prune-rules';
export { eventingPruneRules } from './pruning/eventing-prune-rules';
export type { PruneRule, TablePrunerOptions } from './pruning/table-pruner';
export { deleteOlderRows, TablePruner } from './pruning/table-pruner';

export type { MessageConsumerOptions, MessageHandler } from './consumer/message-consumer';
export type { RetryPolicy } from './retry/backoff';
export { MessageConsumer } from './consumer/message-consumer';
export type { InstanceConsumerOptions } from './consumer/instance-consumer';
export { InstanceConsumer, isInstanceGroup } from './consumer/instance-consumer';
export { DLQ_HEADERS, dlqTopicOf, replayedMessage } from './consumer/dead-letter';

export type { EnsureTopicsResult, TopicDeclaration } from './topics/topic-registry';
export {
  MisconfiguredTopicsError,
  MissingTopicsError,
  ensureTopics,
  withConfiguredPartitions,
} from './topics/topic-registry';
export { idempotentProducer, plainProducer } from './topics/producers';

export type { BackoffPolicy } from './retry/backoff';
export { exponentialDelay, fullJitterDelay } from './retry/backoff';
export type { EventingInstrumentation } from './observability/instrumentation';
export type { OperationsLogger, SlowOperationKind } from './observability/operations-log';
export { configureOperationsLog, operationsLog } from './observability/operations-log';
export type { Hop } from './observability/tracing';
export type { Tracing } from './observability/tracing-sdk';
export { startTracing } from './observability/start-tracing';
export { SpanKind, traceHop } from './observability/tracing';
export { noInstrumentation } from './observability/instrumentation';

export type { PersonalDataOptions } from './privacy/personal-data';
export { PersonalData } from './privacy/personal-data';
export type { PersonalFields, PersonalFieldsSpec } from './privacy/sealed-fields';
export { ERASED, isSealed, personalKeysOf, redactKeys } from './privacy/sealed-fields';
export { openValueAs, recipientKey } from './privacy/recipient-seal';

export type {
  ProjectedTable,
  ProjectionRegistration,
  StoreProjection,
  TopicProjection,
} from './projections/projection-registration';
export { projectionNamed } from './projections/projection-registration';
export type { RebuildOptions, RebuildResult } from './projections/rebuild-projection';
export { rebuildProjection } from './projections/rebuild-projection';
export { RebuildInProgressError } from './projections/rebuild-session';
export type { RebuildPhase, RebuildRun } from './projections/rebuild-runs';
export { RebuildRuns } from './projections/rebuild-runs';
export type { ProjectionDrift } from './projections/projection-drift';
export { checkProjectionDrift } from './projections/projection-drift';
export type { TableChecksum } from './projections/shadow-tables';
