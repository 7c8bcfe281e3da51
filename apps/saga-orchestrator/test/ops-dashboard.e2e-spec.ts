import { type INestApplication } from '@nestjs/common';
import { MessageConsumer } from '@tradecore/eventing';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { eventually, type OrchestratorKit } from './support/orchestrator-kit';
import type { ScriptedParticipants } from './support/scripted-participants';
import type { triggers } from './support/triggers';
import { startScriptedStack, stopScriptedStack } from './support/scripted-stack';

interface Hop {
  kind: string;
  type: string;
  messageId: string;
  service?: string;
  consumer?: string;
  outcome?: string;
}

describe('saga-orchestrator ops dashboard: telemetry trace, live stream, static UI, admin only', () => {
  let kit: OrchestratorKit;
  let participants: ScriptedParticipants;
  let trigger: ReturnType<typeof triggers>;
  let app: INestApplication;
  let admin: string;
  let baseUrl: string;

  beforeAll(async () => {
    ({ kit, participants, trigger, app } = await startScriptedStack({
      SAGA_TIMEOUT_SCALE: '1',
      TRACE_UI_URL: 'http://jaeger.test/trace/{traceId}',
    }));
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    admin = `Bearer ${kit.token('admin')}`;
  });

  afterAll(() => stopScriptedStack({ kit, participants }));

  const get = (path: string, auth = admin) =>
    request(app.getHttpServer()).get(path).set('authorization', auth);

  it('links the OpenTelemetry trace a correlation carries to the trace backend', async () => {
    const connectionId = uuidv7();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const requested = await trigger.tracedConnectionRequested(
      connectionId,
      `00-${traceId}-00f067aa0ba902b7-01`,
    );
    const traces = await eventually(async () => {
      const found = (await get(`/ops/trace?correlationId=${requested.correlationId}`)).body.traces ?? [];
      return found.length > 0 ? found : undefined;
    });
    expect(traces).toEqual([{ traceId, url: `http://jaeger.test/trace/${traceId}` }]);
  });

  it("shows each consumer's handling of a message in the trace, from the services' own telemetry", async () => {
    // A real consumer of another service, reporting through ops.telemetry as every service now does.
    const projection = new MessageConsumer({
      kafka: kit.kafka,
      dataSource: kit.database.dataSource,
      schema: kit.schema,
      groupId: 'broker-account.dashboard-test-projection',
      topics: ['broker-connection.events'],
      handle: async () => undefined,
      retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
      telemetry: { service: 'broker-account' },
    });
    await projection.start();
    try {
      const connectionId = uuidv7();
      const requested = await trigger.connectionRequested(connectionId);
      await kit.sagaReaches(connectionId, ['COMPLETED']);

      const entries: Hop[] = await eventually(async () => {
        const found: Hop[] =
          (await get(`/ops/trace?correlationId=${requested.correlationId}`)).body.entries ?? [];
        const handlers = found.filter((e) => e.kind === 'processed' && e.messageId === requested.messageId);
        return handlers.some((e) => e.service === 'broker-account') &&
          handlers.some((e) => e.service === 'saga-orchestrator')
          ? found
          : undefined;
      });
      expect(entries.find((e) => e.service === 'broker-account')).toMatchObject({
        kind: 'processed',
        type: 'BrokerConnectionRequested',
        consumer: 'broker-account.dashboard-test-projection',
        outcome: 'handled',
      });
      // The orchestrator's own consumers report too: the trigger and every reply it handled.
      expect(
        entries.filter(
          (e) => e.kind === 'processed' && e.service === 'saga-orchestrator' && e.type === 'SagaReply',
        ).length,
      ).toBeGreaterThan(0);

      const message = await get(`/ops/trace/messages/${requested.messageId}`);
      expect(message.status).toBe(200);
      expect(message.body).toMatchObject({
        topic: 'broker-connection.events',
        key: connectionId,
        headers: { messageId: requested.messageId, type: 'BrokerConnectionRequested' },
        envelope: { messageId: requested.messageId, payload: { connectionId } },
      });
      expect(message.body.handledBy.map((h: Hop) => h.service)).toEqual(
        expect.arrayContaining(['broker-account', 'saga-orchestrator']),
      );
      expect((await get(`/ops/trace/messages/${uuidv7()}`)).status).toBe(404);
    } finally {
      await projection.stop();
    }
  });

  it('starts the trace of a request at the HTTP request: method, path, status, duration and service', async () => {
    const connectionId = uuidv7();
    participants.on('LinkBrokerAccounts', connectionId, 'ignore');
    await trigger.connectionRequested(connectionId);
    await eventually(async () =>
      participants.typesFor(connectionId).includes('LinkBrokerAccounts') ? true : undefined,
    );
    const [saga] = await kit.sagas({ aggregateId: connectionId });
    const correlationId = uuidv7();
    const compensated = await request(app.getHttpServer())
      .post(`/ops/sagas/${saga.id}/compensate`)
      .set('authorization', admin)
      .set('x-correlation-id', correlationId)
      .send({ reason: 'operator test' });
    expect(compensated.status).toBe(202);

    const entries: Hop[] = await eventually(async () => {
      const found: Hop[] = (await get(`/ops/trace?correlationId=${correlationId}`)).body.entries ?? [];
      return found.length > 0 ? found : undefined;
    });
    expect(entries[0]).toMatchObject({
      kind: 'http',
      type: `POST /ops/sagas/${saga.id}/compensate`,
      service: 'saga-orchestrator',
      status: 202,
      durationMs: expect.any(Number),
      correlationId,
      sincePreviousMs: 0,
    });
    // Reads start nothing, so the trace queries above are not hops.
    expect(entries.filter((e) => e.kind === 'http')).toHaveLength(1);
    const report = await get(`/ops/trace/messages/${entries[0].messageId}`);
    expect(report.body).toMatchObject({
      topic: 'ops.telemetry',
      envelope: { type: 'HttpRequestHandled', payload: { method: 'POST', status: 202, correlationId } },
    });
  });

  it('streams saga changes as server-sent events to an admin token given as a query parameter', async () => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/ops/stream?token=${kit.token('admin')}`, {
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const connectionId = uuidv7();
    await trigger.connectionRequested(connectionId);
    const deadline = Date.now() + 20_000;
    while (!(text.includes('event: sagas') && text.includes(connectionId) && text.includes('COMPLETED'))) {
      if (Date.now() > deadline) throw new Error(`no saga event for ${connectionId} in:\n${text}`);
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    expect(text).toContain('event: ready');
  });

  it('answers 401/403 on every ops endpoint, the stream included, to anyone but an admin', async () => {
    const user = kit.token('user');
    const asUser = `Bearer ${user}`;
    const id = uuidv7();
    const routes: [string, string][] = [
      ['get', '/ops/sagas'],
      ['get', `/ops/sagas/${id}`],
      ['post', `/ops/sagas/${id}/retry`],
      ['post', `/ops/sagas/${id}/compensate`],
      ['post', `/ops/sagas/${id}/abort`],
      ['get', '/ops/dlq'],
      ['post', '/ops/dlq/replay'],
      ['post', '/ops/dlq/1/replay'],
      ['post', '/ops/dlq/1/discard'],
      ['get', '/ops/consumer-lag'],
      ['get', '/ops/topics'],
      ['get', '/ops/trace?correlationId=x'],
      ['get', `/ops/trace/messages/${id}`],
      ['get', '/ops/stats'],
    ];
    for (const [method, path] of routes) {
      const server = request(app.getHttpServer());
      const asAnonymous = await (method === 'get' ? server.get(path) : server.post(path).send({}));
      const asPlainUser = await (
        method === 'get' ? server.get(path) : server.post(path).send({ reason: 'x' })
      ).set('authorization', asUser);
      expect([path, asAnonymous.status]).toEqual([path, 401]);
      expect([path, asPlainUser.status, asPlainUser.body.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    expect((await request(app.getHttpServer()).get('/ops/stream')).status).toBe(401);
    expect((await request(app.getHttpServer()).get('/ops/stream?token=garbage')).status).toBe(401);
    const stream = await request(app.getHttpServer()).get(`/ops/stream?token=${user}`);
    expect([stream.status, stream.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('reports saga throughput and p99 duration per time bucket', async () => {
    const connectionId = uuidv7();
    await trigger.connectionRequested(connectionId);
    await kit.sagaReaches(connectionId, ['COMPLETED']);
    const stats = await get('/ops/stats?windowMinutes=60&bucketSeconds=60');
    expect(stats.status).toBe(200);
    expect(stats.body.byStatus.COMPLETED).toBeGreaterThan(0);
    expect(stats.body.buckets.at(-1)).toMatchObject({
      finished: expect.any(Number),
      p99Ms: expect.any(Number),
    });
    expect((await get('/ops/stats?bucketSeconds=1')).status).toBe(400);
  });

  it('serves the built dashboard at /ops without a token (run `npm run build` first)', async () => {
    const page = await request(app.getHttpServer()).get('/ops');
    expect([page.status, page.body.code]).toEqual([200, undefined]);
    expect(page.headers['content-type']).toContain('text/html');
    const script = /src="(\/ops\/ui\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await request(app.getHttpServer()).get(script as string);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.text).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)\./);
    expect((await request(app.getHttpServer()).get('/ops/ui/../../package.json')).status).toBe(404);
    expect((await request(app.getHttpServer()).get('/ops/ui/assets/nope.js')).status).toBe(404);
  });
});
