import { type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { eventually, type OrchestratorKit } from './support/orchestrator-kit';
import type { ScriptedParticipants } from './support/scripted-participants';
import type { triggers } from './support/triggers';
import { startScriptedStack, stopScriptedStack } from './support/scripted-stack';

describe('saga-orchestrator ops API', () => {
  let kit: OrchestratorKit;
  let participants: ScriptedParticipants;
  let trigger: ReturnType<typeof triggers>;
  let app: INestApplication;
  let admin: string;

  beforeAll(async () => {
    ({ kit, participants, trigger, app } = await startScriptedStack({ SAGA_TIMEOUT_SCALE: '1' }));
    admin = `Bearer ${kit.token('admin')}`;
  });

  afterAll(() => stopScriptedStack({ kit, participants }));

  const get = (path: string, auth = admin) =>
    request(app.getHttpServer()).get(path).set('authorization', auth);
  const post = (path: string, body: object = {}, auth = admin) =>
    request(app.getHttpServer()).post(path).set('authorization', auth).send(body);

  async function heldAtLink(): Promise<{ connectionId: string; sagaId: string }> {
    const connectionId = uuidv7();
    participants.on('LinkBrokerAccounts', connectionId, 'ignore');
    await trigger.connectionRequested(connectionId);
    await eventually(async () =>
      participants.typesFor(connectionId).includes('LinkBrokerAccounts') ? true : undefined,
    );
    const [saga] = await kit.sagas({ aggregateId: connectionId });
    return { connectionId, sagaId: saga.id };
  }

  it('lets only admins in: 401 without a token, 403 for a user', async () => {
    expect((await request(app.getHttpServer()).get('/ops/sagas')).status).toBe(401);
    const asUser = `Bearer ${kit.token('user')}`;
    for (const response of [
      await get('/ops/sagas', asUser),
      await post(`/ops/sagas/${uuidv7()}/abort`, { reason: 'x' }, asUser),
      await get('/ops/dlq', asUser),
      await get('/ops/trace?correlationId=x', asUser),
    ])
      expect(response.status).toBe(403);
  });

  it('shows a user their own sagas only', async () => {
    const userId = uuidv7();
    const connectionId = uuidv7();
    await trigger.connectionRequested(connectionId, userId);
    await kit.sagaReaches(connectionId, ['COMPLETED']);

    const mine = await get('/sagas', `Bearer ${kit.token('user', userId)}`);
    expect(mine.status).toBe(200);
    expect(mine.body.sagas).toEqual([
      expect.objectContaining({ aggregateId: connectionId, status: 'COMPLETED' }),
    ]);
  });

  it('lists sagas by type and status, and shows one with its step timeline', async () => {
    const connectionId = uuidv7();
    await trigger.connectionRequested(connectionId);
    const saga = await kit.sagaReaches(connectionId, ['COMPLETED']);

    const list = await get('/ops/sagas?type=BrokerConnection&status=COMPLETED');
    expect(list.status).toBe(200);
    expect(list.body.sagas.map((s: { id: string }) => s.id)).toContain(saga.id);
    expect((await get('/ops/sagas?status=BOGUS')).status).toBe(400);

    const detail = await get(`/ops/sagas/${saga.id}`);
    expect(detail.body).toMatchObject({ id: saga.id, type: 'BrokerConnection', status: 'COMPLETED' });
    expect(
      detail.body.timeline
        .filter((e: { event: string }) => e.event === 'succeeded')
        .map((e: { step: string }) => e.step),
    ).toEqual([
      'issue-data-keys',
      'issue-data-keys',
      'verify-credentials',
      'provision-virtual-accounts',
      'link-broker-accounts',
      'mark-connected',
    ]);
    expect(detail.body.timeline.find((e: { event: string }) => e.event === 'succeeded')).toMatchObject({
      durationMs: expect.any(Number),
    });
    expect((await get(`/ops/sagas/${uuidv7()}`)).status).toBe(404);
  });

  it('aborts a running saga, after which nothing more is sent; a second abort is a 409', async () => {
    const { connectionId, sagaId } = await heldAtLink();

    const aborted = await post(`/ops/sagas/${sagaId}/abort`, { reason: 'test data' });
    expect(aborted.status).toBe(202);
    expect(aborted.body.status).toBe('ABORTED');
    const again = await post(`/ops/sagas/${sagaId}/abort`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_FINISHED');
    expect((await post(`/ops/sagas/${sagaId}/abort`, {})).status).toBe(400);
    expect(participants.typesFor(connectionId).at(-1)).toBe('LinkBrokerAccounts');
  });

  it('compensates a running saga on request, undoing the step in flight and those before it', async () => {
    const { connectionId, sagaId } = await heldAtLink();

    const response = await post(`/ops/sagas/${sagaId}/compensate`, { reason: 'broker outage' });
    expect(response.status).toBe(202);
    await kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(participants.typesFor(connectionId).slice(-3)).toEqual([
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
  });

  it('retries a refused compensation of a FAILED saga until it is COMPENSATED', async () => {
    const connectionId = uuidv7();
    participants
      .on('MarkConnectionConnected', connectionId, { fail: { code: 'GONE', message: 'gone' } })
      .on('UnlinkBrokerAccounts', connectionId, { fail: { code: 'DB_DOWN', message: 'down' } }, 1);
    await trigger.connectionRequested(connectionId);
    const failed = await kit.sagaReaches(connectionId, ['FAILED']);

    const listed = await get('/ops/sagas?status=FAILED');
    expect(listed.body.sagas.map((s: { id: string }) => s.id)).toContain(failed.id);
    const retried = await post(`/ops/sagas/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    await kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(participants.typesFor(connectionId).slice(-4)).toEqual([
      'UnlinkBrokerAccounts',
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
    expect((await post(`/ops/sagas/${failed.id}/retry`)).body.code).toBe('NOTHING_TO_RETRY');
  });

  it('mirrors dead letters from any service, replays one to its origin and discards another', async () => {
    const dead = async () => {
      const envelope = {
        messageId: uuidv7(),
        type: 'BrokerAccountsDeleted',
        schemaVersion: 1,
        streamId: 'conn-dlq',
        streamVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: uuidv7(),
        causationId: null,
        payload: {
          connectionId: 'conn-dlq',
          userId: 'u',
          accountIds: [],
          deletedAt: new Date().toISOString(),
        },
      };
      const producer = kit.kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'broker-account.events.dlq',
        messages: [
          {
            key: 'conn-dlq',
            value: JSON.stringify(envelope),
            headers: {
              messageId: envelope.messageId,
              type: envelope.type,
              'x-dlq-original-topic': 'broker-account.events',
              'x-dlq-consumer-group': 'user-account.track',
              'x-dlq-error-message': 'projection failed',
              'x-dlq-attempts': '5',
            },
          },
        ],
      });
      await producer.disconnect();
      return envelope;
    };
    const [replayMe, discardMe] = [await dead(), await dead()];
    const listed = await eventually(async () => {
      const response = await get('/ops/dlq?topic=broker-account.events');
      return response.body.messages?.length >= 2 ? response.body.messages : undefined;
    });
    const idOf = (messageId: string) =>
      listed.find((m: { messageId: string }) => m.messageId === messageId).id;
    expect(listed[0]).toMatchObject({
      originalTopic: 'broker-account.events',
      error: 'projection failed',
      attempts: 5,
    });

    expect((await post(`/ops/dlq/${idOf(replayMe.messageId)}/replay`)).body.replayed).toEqual([
      idOf(replayMe.messageId),
    ]);
    expect((await post(`/ops/dlq/${idOf(discardMe.messageId)}/discard`)).status).toBe(200);
    expect((await post(`/ops/dlq/${idOf(discardMe.messageId)}/discard`)).status).toBe(404);
    expect((await post('/ops/dlq/replay', {})).status).toBe(400);

    const replayed = await eventually(async () => {
      const response = await get(`/ops/trace?messageId=${replayMe.messageId}`);
      return response.body.entries?.length > 0 ? response.body.entries : undefined;
    });
    expect(replayed[0]).toMatchObject({ topic: 'broker-account.events', type: 'BrokerAccountsDeleted' });
    expect((await get('/ops/dlq?status=pending&topic=broker-account.events')).body.messages).toEqual([]);
  });

  it('traces a request through events, commands, replies and telemetry in time order', async () => {
    const connectionId = uuidv7();
    const requested = await trigger.connectionRequested(connectionId);
    await kit.sagaReaches(connectionId, ['COMPLETED']);
    await kit.publish('ops.telemetry', 'MessageProcessed', requested.messageId, {
      service: 'broker-account',
      consumer: 'broker-account.link',
      topic: 'broker-account.commands',
      partition: 0,
      offset: '1',
      messageId: participants.commandsFor(connectionId)[2].messageId,
      messageType: 'LinkBrokerAccounts',
      correlationId: requested.correlationId,
      outcome: 'handled',
      attempt: 1,
      durationMs: 12,
      lagMs: 30,
      at: new Date().toISOString(),
    });

    const entries = await eventually(async () => {
      const response = await get(`/ops/trace?aggregateId=${connectionId}`);
      const found = response.body.entries ?? [];
      return found.some(
        (e: { kind: string; service?: string }) => e.kind === 'processed' && e.service === 'broker-account',
      ) &&
        found.filter((e: { type: string; kind: string }) => e.type === 'SagaReply' && e.kind === 'message')
          .length >= 6
        ? found
        : undefined;
    });
    expect(entries[0]).toMatchObject({
      kind: 'message',
      type: 'BrokerConnectionRequested',
      sincePreviousMs: 0,
    });
    expect(
      entries.filter((e: { kind: string }) => e.kind === 'command').map((e: { type: string }) => e.type),
    ).toEqual([
      'IssueBrokerAccountDataKey',
      'IssueAutomationDataKey',
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'MarkConnectionConnected',
    ]);
    expect(
      entries.filter((e: { type: string; kind: string }) => e.type === 'SagaReply' && e.kind === 'message'),
    ).toHaveLength(6);
    // The orchestrator's own consumers report their handling too; this record is broker-account's.
    expect(
      entries.find(
        (e: { kind: string; service?: string }) => e.kind === 'processed' && e.service === 'broker-account',
      ),
    ).toMatchObject({
      service: 'broker-account',
      outcome: 'handled',
      lagMs: 30,
    });
    const times = entries.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((await get('/ops/trace')).status).toBe(400);
  });

  it('reports consumer lag per group and partition, and the health of every topic', async () => {
    const lag = await get('/ops/consumer-lag');
    expect(lag.status).toBe(200);
    const replies = lag.body.groups.find(
      (g: { groupId: string }) => g.groupId === 'saga-orchestrator.saga-replies',
    );
    expect(replies.partitions[0]).toMatchObject({ topic: 'saga.replies', lag: expect.any(Number) });

    const topics = await get('/ops/topics');
    expect(topics.body.healthy).toBe(true);
    expect(topics.body.topics).toContainEqual(
      expect.objectContaining({ name: 'saga.replies', status: 'ok', partitions: 3 }),
    );
  });

  it('exposes saga durations, sagas in flight and DLQ counts on /metrics', async () => {
    const metrics = (await request(app.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(
      /saga_duration_seconds_count\{[^}]*saga_type="BrokerConnection"[^}]*outcome="COMPLETED"/,
    );
    expect(metrics).toContain('saga_compensations_total');
    expect(metrics).toMatch(/dlq_messages\{[^}]*topic="broker-account.events"/);
    expect(metrics).toContain('sagas_in_flight');
    expect(metrics).toContain('# TYPE saga_oldest_unchanged_seconds gauge');
  });
});
