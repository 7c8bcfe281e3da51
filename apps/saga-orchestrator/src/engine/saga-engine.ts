import { Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { EntityManager } from 'typeorm';
import { type Envelope, outboxRecordOf, type Received, traceHop } from '@tradecore/eventing';
import { ACTIVE_STATUSES, FINAL_STATUSES, type SagaDefinition } from './saga-definition';
import { stepName } from './saga-draft';
import { awaitedChildren } from './saga-moves';
import { applyInput, startSaga } from './saga-machine';
import { inSagaTrace, userIdIn } from './saga-context';
import { commandEnvelopes, lifecycleEnvelopes, lifecycleEvents, type PersistedSaga } from './saga-messages';
import { type SagaRow } from './saga-repository';
import { logStepTransitions } from './saga-step-lines';
import {
  type SagaInput,
  SagaRuleError,
  type SagaState,
  type SagaTransition,
  withSentIds,
} from './saga-state';
import type { SagaEngineDeps } from './saga-engine-deps';

/**
 * Runs the pure saga machine against the database: each input is applied with the saga's row
 * locked, and the commands it decides leave through the outbox in that same transaction, so a
 * step's command is written exactly once however many replicas run.
 */
export class SagaEngine {
  private readonly logger = new Logger('SagaEngine');

  constructor(private readonly deps: SagaEngineDeps) {}

  /** Starts the saga an event triggers, or queues it behind the saga already running on its aggregate. */
  async startFromTrigger(envelope: Envelope, manager: EntityManager): Promise<string | undefined> {
    const definition = this.deps.sagas.definitionTriggeredBy(envelope.type);
    if (!definition) return undefined;
    const { repository, lock } = this.deps;
    if (await repository.findByTrigger(manager, definition.type, envelope.messageId)) return undefined;
    const sagaId = uuidv7();
    const start = definition.start(envelope.payload, sagaId);
    const saga = {
      id: sagaId,
      sagaType: definition.type,
      aggregateId: start.aggregateId,
      parentSagaId: start.parentSagaId ?? null,
      childKey: start.childKey ?? null,
      triggerType: envelope.type,
      triggerMessageId: envelope.messageId,
      correlationId: envelope.correlationId,
      userId: envelope.userId ?? userIdIn(envelope.payload) ?? null,
      traceparent: envelope.traceparent ?? null,
    };
    const transition = startSaga(definition, start.context);
    if (await lock.acquire(start.aggregateId, sagaId)) {
      try {
        if (await repository.insert(manager, { ...saga, status: 'RUNNING', state: transition.state })) {
          const row = {
            id: sagaId,
            aggregate_id: saga.aggregateId,
            status: 'RUNNING' as const,
            parent_saga_id: saga.parentSagaId,
            child_key: saga.childKey,
            correlation_id: saga.correlationId,
            user_id: saga.userId,
            created_at: new Date(),
          };
          await this.persist(manager, definition, row, transition, null);
          return sagaId;
        }
      } catch (error) {
        // The transaction rolls back, so no saga holds the lock: the redelivered trigger must find it free.
        await lock.release(start.aggregateId, sagaId).catch(() => undefined);
        throw error;
      }
      await lock.release(start.aggregateId, sagaId);
    }
    const queued: SagaState = { ...transition.state, status: 'QUEUED', cursor: null, pending: [] };
    await repository.insert(manager, { ...saga, status: 'QUEUED', state: queued });
    await repository.appendLog(manager, sagaId, [
      {
        step: 'saga',
        phase: 'forward',
        attempt: 0,
        event: 'operator',
        detail: { queuedBehind: start.aggregateId },
      },
    ]);
    this.logger.log(
      `${definition.type} saga ${sagaId} queued: aggregate ${start.aggregateId} has a saga running`,
    );
    return sagaId;
  }

  async handleReply(envelope: Received<'saga.replies'>, manager: EntityManager): Promise<void> {
    const reply = envelope.payload;
    const saga = await this.deps.repository.lock(manager, reply.sagaId);
    if (!saga) {
      this.logger.warn(`reply ${envelope.messageId} names unknown saga ${reply.sagaId}; ignored`);
      return;
    }
    await this.apply(manager, saga, {
      type: 'ReplyReceived',
      step: reply.step,
      commandMessageId: reply.commandMessageId,
      outcome: reply.outcome,
      ...(reply.outcome === 'succeeded' ? { result: reply.result } : { reason: reply.reason }),
    });
  }

  /** The deadline of a saga of this type as a whole, as configured and scaled. */
  sagaDeadlineMs(definition: SagaDefinition): number {
    const afterMs = this.deps.sagaDeadlinesMs[definition.type] ?? definition.deadline.afterMs;
    return Math.round(afterMs * this.deps.timeoutScale);
  }

  /** Fires one passed deadline, a step's or a whole saga's; false when none is due (or every due saga is busy elsewhere). */
  async fireNextDeadline(): Promise<boolean> {
    return this.deps.dataSource.transaction(async (manager) => {
      const due = await this.deps.repository.lockDueSaga(manager);
      if (!due) return this.expireNextSaga(manager);
      const transition = await this.apply(manager, due.saga, {
        type: 'DeadlinePassed',
        step: due.step,
        attempt: due.attempt,
      });
      if (transition.ignored) await this.deps.repository.clearDeadline(manager, due.saga.id);
      else this.deps.metrics.stepTimedOut(due.saga.saga_type, due.step);
      return true;
    });
  }

  private async expireNextSaga(manager: EntityManager): Promise<boolean> {
    const saga = await this.deps.repository.lockExpiredSaga(manager);
    if (!saga) return false;
    const afterMs = this.sagaDeadlineMs(this.deps.sagas.definitionOf(saga.saga_type));
    const transition = await this.apply(manager, saga, { type: 'SagaDeadlinePassed', afterMs });
    if (transition.ignored) await this.deps.repository.clearExpiry(manager, saga.id);
    else this.deps.metrics.stepTimedOut(saga.saga_type, 'saga');
    return true;
  }

  /** An operator's retry, compensate or abort; a status that forbids it raises SagaRuleError. */
  async operate(sagaId: string, input: Extract<SagaInput, { type: `${string}Requested` }>): Promise<SagaRow> {
    return this.deps.dataSource.transaction(async (manager) => {
      const saga = await this.deps.repository.lock(manager, sagaId);
      if (!saga) throw new SagaRuleError('SAGA_NOT_FOUND', `no saga ${sagaId}`);
      const reactivates = input.type !== 'AbortRequested' && saga.status === 'FAILED';
      if (reactivates) {
        const busy =
          (await this.deps.repository.hasActiveSaga(manager, saga.aggregate_id)) ||
          !(await this.deps.lock.acquire(saga.aggregate_id, saga.id));
        if (busy)
          throw new SagaRuleError(
            'AGGREGATE_BUSY',
            `another saga runs on ${saga.aggregate_id}; retry when it ends`,
          );
      }
      await this.apply(manager, saga, input);
      return (await this.deps.repository.lock(manager, sagaId)) as SagaRow;
    });
  }

  /** Keeps the Redis locks of running sagas alive and starts queued sagas whose aggregate came free. */
  async maintainLocks(): Promise<void> {
    const { dataSource, repository, lock } = this.deps;
    // Read unlocked, a saga may end before its turn: only a lock still held is extended, and a lost
    // one is taken again with the saga's row locked and the saga still active, never for an ended one.
    for (const saga of await repository.activeSagas(dataSource.manager))
      if ((await lock.extend(saga.aggregate_id, saga.id)) === 'missing')
        await dataSource.transaction(async (manager) => {
          const current = await repository.lock(manager, saga.id, true);
          if (current && ACTIVE_STATUSES.includes(current.status))
            await lock.acquire(saga.aggregate_id, saga.id);
        });
    for (const aggregateId of await repository.idleQueuedAggregates(dataSource.manager))
      await dataSource.transaction((manager) => this.startNextQueued(manager, aggregateId));
  }

  /** Each input applied is a span of the trace that brought it (a reply, an operator's request); a deadline's continues the saga's. */
  private apply(manager: EntityManager, saga: SagaRow, input: SagaInput): Promise<SagaTransition> {
    const attributes = { 'tradecore.saga_id': saga.id, 'tradecore.saga_type': saga.saga_type };
    const hop = { name: `saga ${saga.saga_type} ${input.type}`, attributes };
    return inSagaTrace(saga, () => traceHop(hop, () => this.applyInSpan(manager, saga, input)));
  }

  private async applyInSpan(
    manager: EntityManager,
    saga: SagaRow,
    input: SagaInput,
  ): Promise<SagaTransition> {
    const definition = this.deps.sagas.definitionOf(saga.saga_type);
    const transition = applyInput(definition, saga.state, input);
    if (transition.ignored) {
      this.logger.debug(`saga ${saga.id}: ${transition.ignored}`);
      return transition;
    }
    await this.persist(manager, definition, saga, transition, saga.state);
    return transition;
  }

  private async persist(
    manager: EntityManager,
    definition: SagaDefinition,
    saga: PersistedSaga,
    transition: SagaTransition,
    before: SagaState | null,
  ): Promise<void> {
    const { repository, trace } = this.deps;
    const commands = commandEnvelopes(saga, transition.commands);
    const lifecycle = lifecycleEvents(definition, saga, before, transition.state, new Date().toISOString());
    const envelopes = commands.map(({ envelope }) => envelope);
    const ids = envelopes.map((envelope) => envelope.messageId);
    const state = withSentIds(transition.state, ids);
    let sent = 0;
    const log = transition.log.map((entry) =>
      entry.event === 'sent' ? { ...entry, commandMessageId: ids[sent++] } : entry,
    );
    const awaiting = awaitedChildren(definition, state);
    const { deadline } = transition;
    const revived = before?.status === 'FAILED' && state.status === 'RUNNING';
    const clockStarts = (before === null && state.status === 'RUNNING') || revived;
    await repository.save(manager, saga.id, {
      state,
      currentStep: state.cursor && stepName(definition, state.cursor),
      failure: state.compensationFailure ?? state.failure,
      retries: transition.commands.filter((planned) => planned.attempt > 1).length,
      awaitingChildKeys: awaiting,
      log,
      deadline: deadline && {
        ...deadline,
        dueInMs: Math.round(deadline.dueInMs * this.deps.timeoutScale),
      },
      expiresInMs: clockStarts ? this.sagaDeadlineMs(definition) : null,
      traces: trace.commandRows(envelopes),
      outbox: [...commands, ...lifecycleEnvelopes(saga, lifecycle)].map(({ topic, envelope }) =>
        outboxRecordOf(topic, envelope),
      ),
    });

    logStepTransitions(definition, saga, transition, before);
    await this.settle(manager, definition, saga, state, awaiting);
  }

  /** What a new status sets off: the aggregate handed to the next queued saga, waiting parents told, metrics. */
  private async settle(
    manager: EntityManager,
    definition: SagaDefinition,
    saga: PersistedSaga,
    state: SagaState,
    awaiting: readonly string[],
  ): Promise<void> {
    const { repository, lock, metrics } = this.deps;
    const wasActive = ACTIVE_STATUSES.includes(saga.status);
    if (saga.status !== 'COMPENSATING' && state.status === 'COMPENSATING')
      metrics.compensationStarted(definition.type);
    if (wasActive && !ACTIVE_STATUSES.includes(state.status)) {
      await lock.release(saga.aggregate_id, saga.id);
      await this.startNextQueued(manager, saga.aggregate_id);
    }
    // FAILED counts as an end for those waiting: the saga waits for an operator, and a parent must not wait with it.
    const ended =
      state.status !== saga.status && (FINAL_STATUSES.includes(state.status) || state.status === 'FAILED');
    if (ended) metrics.sagaEnded(definition.type, state.status, saga.created_at);
    if (ended) {
      const finished = {
        type: 'ChildFinished',
        childKey: saga.child_key ?? saga.id,
        status: state.status,
      } as const;
      // Only a child saga (a parent, or a key others may await) has anyone to tell.
      if (saga.parent_saga_id !== null || saga.child_key !== null)
        for (const waiter of await repository.lockWaitersFor(manager, saga))
          if (waiter.id !== saga.id) await this.apply(manager, waiter, finished);
    }
    // A child may have finished before this saga knew to wait for it (an adopted, already running disconnection).
    if (awaiting.length > 0) {
      const known = new Set(Object.keys(state.children));
      for (const child of await repository.finishedChildren(manager, awaiting)) {
        if (known.has(child.child_key)) continue;
        const current = (await repository.lock(manager, saga.id)) as SagaRow;
        await this.apply(manager, current, {
          type: 'ChildFinished',
          childKey: child.child_key,
          status: child.status,
        });
        return;
      }
    }
  }

  private async startNextQueued(manager: EntityManager, aggregateId: string): Promise<void> {
    const { repository, lock } = this.deps;
    const next = await repository.nextQueuedIfIdle(manager, aggregateId);
    if (!next || !(await lock.acquire(aggregateId, next.id))) return;
    const definition = this.deps.sagas.definitionOf(next.saga_type);
    const transition = startSaga(definition, next.state.context);
    await inSagaTrace(next, () => this.persist(manager, definition, next, transition, null));
  }
}
