import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { personalFields, sagaLifecycleEventTypes } from '@tradecore/contracts';
import { type Envelope, personalKeysOf, type Received, redactKeys } from '@tradecore/eventing';
import {
  ConsumesTopic,
  EVENTING_OPTIONS,
  EventingModuleOptions,
  TopicConsumer,
} from '@tradecore/eventing/nest';

const PERSONAL_KEYS = personalKeysOf(personalFields);

/** Only a completed UserDeletion erases anything: every other saga's completion is skipped before a transaction or inbox row. */
export const completesAUserDeletion = ({ type, payload }: Pick<Envelope, 'type' | 'payload'>): boolean =>
  type === 'SagaCompleted' &&
  typeof payload === 'object' &&
  payload !== null &&
  'sagaType' in payload &&
  payload.sagaType === 'UserDeletion';

/**
 * The orchestrator keeps what it passed between services (saga contexts, commands, replies, the
 * trace and step log) in the clear, since it holds no key: when a UserDeletion saga has completed,
 * the personal fields of every saga that worked for that user, and of their traces, are erased.
 */
@ConsumesTopic('saga-orchestrator.events', {
  group: 'saga-orchestrator.user-erasure',
  knownTypes: sagaLifecycleEventTypes,
  handles: ['SagaCompleted'],
  handlesMessage: completesAUserDeletion,
})
export class UserErasureConsumer implements TopicConsumer {
  private readonly schema: string;

  constructor(@Inject(EVENTING_OPTIONS) options: EventingModuleOptions) {
    this.schema = `"${options.schema}"`;
  }

  async handle(envelope: Received<'saga-orchestrator.events'>, manager: EntityManager): Promise<void> {
    if (envelope.type !== 'SagaCompleted' || envelope.payload.sagaType !== 'UserDeletion') return;
    const { sagaId, aggregateId } = envelope.payload;
    const s = this.schema;
    const sagas: { id: string; correlation_id: string; state: unknown; failure: unknown }[] =
      await manager.query(
        `SELECT id, correlation_id, state, failure FROM ${s}.saga_instance
        WHERE (user_id = $1 OR aggregate_id = $1 OR parent_saga_id = $2::uuid OR state #>> '{context,userId}' = $1)
          -- A saga still going needs its context; none should be left once the deletion completed.
          AND status NOT IN ('QUEUED', 'RUNNING', 'COMPENSATING')
        FOR UPDATE`,
        [aggregateId, sagaId],
      );
    const ids = sagas.map((saga) => saga.id);
    for (const saga of sagas)
      await manager.query(`UPDATE ${s}.saga_instance SET state = $2, failure = $3 WHERE id = $1`, [
        saga.id,
        JSON.stringify(redactKeys(saga.state, PERSONAL_KEYS)),
        saga.failure === null ? null : JSON.stringify(redactKeys(saga.failure, PERSONAL_KEYS)),
      ]);
    await this.redactColumn(manager, 'saga_step_log', 'detail', `saga_id = ANY($1::uuid[])`, [ids]);
    // A saga's commands, replies and events all carry its correlation id (indexed, unlike saga_id).
    await this.redactColumn(manager, 'trace_entry', 'envelope', `correlation_id = ANY($1)`, [
      sagas.map((saga) => saga.correlation_id),
    ]);
  }

  private async redactColumn(
    manager: EntityManager,
    table: string,
    column: string,
    where: string,
    params: unknown[],
  ): Promise<void> {
    const s = this.schema;
    const rows: { id: string; value: unknown }[] = await manager.query(
      `SELECT id, ${column} AS value FROM ${s}.${table} WHERE (${where}) AND ${column} IS NOT NULL`,
      params,
    );
    for (const row of rows) {
      const redacted = JSON.stringify(redactKeys(row.value, PERSONAL_KEYS));
      if (redacted !== JSON.stringify(row.value))
        await manager.query(`UPDATE ${s}.${table} SET ${column} = $2 WHERE id = $1`, [row.id, redacted]);
    }
  }
}
