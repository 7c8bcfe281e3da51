import { type INestApplication } from '@nestjs/common';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import type { TestSchema } from '@tradecore/eventing/testing';
import type { EachMessagePayload } from 'kafkajs';
import request from 'supertest';
import { headersToStrings } from '../src/envelope/kafka-message';
import { startTracingSdk, type Tracing } from '../src/observability/tracing-sdk';
import { collectTopic, kafkaFor } from './eventing-test-kit';
import { SAMPLE_TOPIC } from './sample-app/sample-account.controller';
import { sampleAppEnvironment, startSampleApp } from './sample-app/sample-app.environment';
import { eventually } from '../src/testing/eventually';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('a request traced through the outbox, Kafka and a consumer', () => {
  let broker: DevBrokerHandle;
  let database: TestSchema;
  let app: INestApplication;
  let tracing: Tracing;
  let topic: { received: EachMessagePayload[]; stop: () => Promise<void> };
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    tracing = startTracingSdk('sample', exporter);
    ({ broker, database } = await sampleAppEnvironment('eventing_tracing'));
    app = await startSampleApp(database.schema);
    topic = await collectTopic(kafkaFor(broker.brokers), SAMPLE_TOPIC);
  });

  afterAll(async () => {
    await topic?.stop();
    await app?.close();
    await database?.drop();
    await broker?.stop();
    await tracing?.shutdown();
  });

  const messageOf = (correlationId: string) =>
    eventually(() =>
      topic.received
        .map(({ message }) => ({ headers: headersToStrings(message.headers), value: message.value }))
        .find(({ headers }) => headers.correlationId === correlationId),
    );

  it("continues the caller's trace from the request to the consumer's span", async () => {
    const response = await request(app.getHttpServer())
      .post('/accounts')
      .set('x-correlation-id', 'traced-1')
      .set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`)
      .send({ owner: 'Ada' });
    expect(response.status).toBe(201);
    expect(response.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));

    const message = await messageOf('traced-1');
    expect(message.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    expect(JSON.parse(message.value!.toString()).traceparent).toBe(message.headers.traceparent);

    const spans = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE_ID);
    const consumed = await eventually(() => spans().find((s) => s.name === 'consume AccountOpened'));
    const named = (name: string) => spans().find((s) => s.name === name)!;
    const http = named('POST /accounts');
    const command = named('command OpenAccount');
    const append = named('append SampleAccount');
    const publish = named(`publish ${SAMPLE_TOPIC}`);
    expect(parentOf(http)).toBe(CALLER_SPAN);
    expect(parentOf(command)).toBe(http.spanContext().spanId);
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    // The message was created by the append: it names that span, which publish and consume continue.
    expect(message.headers.traceparent.split('-')[2]).toBe(append.spanContext().spanId);
    expect(parentOf(publish)).toBe(append.spanContext().spanId);
    expect(parentOf(consumed)).toBe(append.spanContext().spanId);
    expect(consumed.attributes['messaging.consumer.group.name']).toBe('sample.account-activity');
  });

  it('starts a trace for a request that brings none and answers with it', async () => {
    const response = await request(app.getHttpServer())
      .post('/accounts')
      .set('x-correlation-id', 'untraced-1')
      .send({ owner: 'Grace' });
    const traceId = response.headers.traceparent?.split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const message = await messageOf('untraced-1');
    expect(message.headers.traceparent.split('-')[1]).toBe(traceId);
    await eventually(() =>
      exporter
        .getFinishedSpans()
        .find((s) => s.name === 'consume AccountOpened' && s.spanContext().traceId === traceId),
    );
  });
});
