import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { eventually } from './support/orchestrator-kit';
import { useScriptedOrchestrator } from './support/scripted-orchestrator';

describe('saga-orchestrator ops API', () => {
  const orchestrator = useScriptedOrchestrator({ SAGA_TIMEOUT_SCALE: '1' });
  const { get, post } = orchestrator;

  async function heldAtLink(): Promise<{ connectionId: string; sagaId: string }> {
    const connectionId = uuidv7();
    orchestrator.participants.on('LinkBrokerAccounts', connectionId, 'ignore');
    await orchestrator.trigger.connectionRequested(connectionId);
    await eventually(async () =>
      orchestrator.participants.typesFor(connectionId).includes('LinkBrokerAccounts') ? true : undefined,
    );
    const [saga] = await orchestrator.kit.sagas({ aggregateId: connectionId });
    return { connectionId, sagaId: saga.id };
  }

  it('lets only admins in: 401 without a token, 403 for a user', async () => {
    expect((await request(orchestrator.app.getHttpServer()).get('/ops/sagas')).status).toBe(401);
    const asUser = `Bearer ${orchestrator.kit.token('user')}`;
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
    await orchestrator.trigger.connectionRequested(connectionId, userId);
    await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);

    const mine = await get('/sagas', `Bearer ${orchestrator.kit.token('user', userId)}`);
    expect(mine.status).toBe(200);
    expect(mine.body.sagas).toEqual([
      expect.objectContaining({ aggregateId: connectionId, status: 'COMPLETED' }),
    ]);
  });

  it('lists sagas by type and status, and shows one with its step timeline', async () => {
    const connectionId = uuidv7();
    await orchestrator.trigger.connectionRequested(connectionId);
    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);

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
    expect(orchestrator.participants.typesFor(connectionId).at(-1)).toBe('LinkBrokerAccounts');
  });

  it('compensates a running saga on request, undoing the step in flight and those before it', async () => {
    const { connectionId, sagaId } = await heldAtLink();

    const response = await post(`/ops/sagas/${sagaId}/compensate`, { reason: 'broker outage' });
    expect(response.status).toBe(202);
    await orchestrator.kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(orchestrator.participants.typesFor(connectionId).slice(-3)).toEqual([
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
  });

  it('retries a refused compensation of a FAILED saga until it is COMPENSATED', async () => {
    const connectionId = uuidv7();
    orchestrator.participants
      .on('MarkConnectionConnected', connectionId, { fail: { code: 'GONE', message: 'gone' } })
      .on('UnlinkBrokerAccounts', connectionId, { fail: { code: 'DB_DOWN', message: 'down' } }, 1);
    await orchestrator.trigger.connectionRequested(connectionId);
    const failed = await orchestrator.kit.sagaReaches(connectionId, ['FAILED']);

    const listed = await get('/ops/sagas?status=FAILED');
    expect(listed.body.sagas.map((s: { id: string }) => s.id)).toContain(failed.id);
    const retried = await post(`/ops/sagas/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    await orchestrator.kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(orchestrator.participants.typesFor(connectionId).slice(-4)).toEqual([
      'UnlinkBrokerAccounts',
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
    expect((await post(`/ops/sagas/${failed.id}/retry`)).body.code).toBe('NOTHING_TO_RETRY');
  });
});
