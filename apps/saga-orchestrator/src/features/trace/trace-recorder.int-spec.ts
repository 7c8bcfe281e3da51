import type { Envelope } from '@tradecore/eventing';
import { createTestSchema, type TestSchema } from '@tradecore/eventing/testing';
import type { DataSource } from 'typeorm';
import { migratedOrchestratorTables } from '../../persistence/migrations/orchestrator-migrations';
import { v7 as uuidv7 } from 'uuid';
import { TraceRecorder, type TracedMessage } from './trace-recorder';

const envelope = (type: string, payload: object, correlationId = 'flow-1'): Envelope => ({
  messageId: uuidv7(),
  type,
  schemaVersion: 1,
  streamId: 'connection-1',
  streamVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId,
  causationId: null,
  payload,
});

const report = (about: Envelope, consumer: string) => ({
  service: 'broker-account',
  consumer,
  topic: 'broker-connection.events',
  partition: 0,
  offset: '7',
  messageId: about.messageId,
  messageType: about.type,
  correlationId: about.correlationId,
  outcome: 'handled',
  attempt: 1,
  durationMs: 1.4,
  lagMs: 3.2,
  at: new Date().toISOString(),
});

const processed = (about: Envelope, consumer: string): TracedMessage => ({
  topic: 'ops.telemetry',
  envelope: envelope('MessageProcessed', report(about, consumer)),
});

describe('TraceRecorder (PostgreSQL)', () => {
  let db: TestSchema;
  let tables: DataSource;
  let recorder: TraceRecorder;

  const rows = async () =>
    tables.query(`SELECT kind, message_id, consumer FROM "${db.schema}".trace_entry ORDER BY id`) as Promise<
      { kind: string; message_id: string; consumer: string | null }[]
    >;

  beforeAll(async () => {
    db = await createTestSchema('trace');
    tables = await migratedOrchestratorTables(db.databaseUrl, db.schema);
    recorder = new TraceRecorder(db.schema);
  });
  afterAll(async () => {
    await tables.destroy();
    await db.drop();
  });

  it('records a redelivered message once, and every service’s account of one message', async () => {
    const requested = envelope('BrokerConnectionRequested', { broker: 'virtual' });
    const batch = [
      { topic: 'broker-connection.events', envelope: requested },
      processed(requested, 'broker-account.realtime'),
      processed(requested, 'saga-orchestrator.triggers'),
    ];

    await recorder.recordMessages(tables.manager, batch);
    await recorder.recordMessages(tables.manager, [batch[1], batch[0]]);

    expect(await rows()).toEqual([
      { kind: 'message', message_id: requested.messageId, consumer: null },
      { kind: 'processed', message_id: requested.messageId, consumer: 'broker-account.realtime' },
      { kind: 'processed', message_id: requested.messageId, consumer: 'saga-orchestrator.triggers' },
    ]);
  });

  it('records each record of a MessagesProcessed as the MessageProcessed it stands for, once', async () => {
    const linked = envelope('BrokerAccountsLinked', {}, 'flow-2');
    const records = ['automation.broker-accounts', 'broker-account.realtime'].map((consumer, i) => ({
      ...report(linked, consumer),
      recordId: `record-${i}`,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    }));
    const batch = { topic: 'ops.telemetry', envelope: envelope('MessagesProcessed', { records }) };

    await recorder.recordMessages(tables.manager, [batch]);
    await recorder.recordMessages(tables.manager, [batch]);

    const stored = await tables.query(
      `SELECT kind, message_id, consumer, correlation_id, envelope FROM "${db.schema}".trace_entry
       WHERE correlation_id = 'flow-2' ORDER BY id`,
    );
    expect(stored).toHaveLength(2);
    expect(stored.map((row: { consumer: string }) => row.consumer)).toEqual([
      'automation.broker-accounts',
      'broker-account.realtime',
    ]);
    expect(stored[1]).toMatchObject({
      kind: 'processed',
      message_id: linked.messageId,
      envelope: {
        messageId: 'record-1',
        type: 'MessageProcessed',
        causationId: linked.messageId,
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        payload: { consumer: 'broker-account.realtime', messageId: linked.messageId },
      },
    });
  });
});
