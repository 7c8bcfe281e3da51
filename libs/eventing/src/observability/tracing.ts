import { randomFillSync } from 'node:crypto';
import {
  type Attributes,
  context,
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Envelope } from '../envelope/envelope';
import { currentMessageContext, type MessageContext, runInMessageContext } from '../envelope/message-context';
import { warnIfSlow, type SlowOperationKind } from './operations-log';

/**
 * Each hop of a flow (request, command, append, publish, consume, saga step) is a span. The
 * message context's traceparent always names the span running now, so whatever a hop emits
 * (events, commands, replies) carries it in its envelope and Kafka headers, and the hop that
 * consumes them continues the same trace. Without an SDK (OTEL_EXPORTER_OTLP_ENDPOINT unset)
 * no span is made: the traceparent a request brought or was given travels unchanged.
 */
export interface Hop {
  readonly name: string;
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The message context to run in, when the hop starts one (a consumed message); else the current one. */
  readonly context?: MessageContext;
  /** Warn when it takes longer than SLOW_OPERATION_MS. */
  readonly slow?: SlowOperationKind;
}

const propagator = new W3CTraceContextPropagator();
const TRACER_NAME = '@tradecore/eventing';
let recording = false;

/** Set by the SDK's start: spans are made only while an SDK exports them. */
export function setTracingRecording(on: boolean): void {
  recording = on;
}

export const isTracingRecording = (): boolean => recording;

export function contextOfTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
}

export function traceparentOfSpan(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

// A trace and a span id are 24 random bytes; drawn from one buffer filled 128 ids at a time,
// since each randomBytes call is a trip into the crypto library (3 % of the gateway's CPU per request).
const ID_BYTES = 24;
const idPool = Buffer.alloc(ID_BYTES * 128);
let idPoolOffset = idPool.length;

/** A fresh, sampled W3C traceparent for a request that came without one. */
export function newTraceparent(): string {
  if (idPoolOffset === idPool.length) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  const ids = idPool.toString('hex', idPoolOffset, (idPoolOffset += ID_BYTES));
  return `00-${ids.slice(0, 32)}-${ids.slice(32)}-0${TraceFlags.SAMPLED}`;
}

/** The trace and span ids of a traceparent, for log lines and the ops screens. */
export function traceIdsOf(traceparent: string | undefined): { traceId: string; spanId: string } | undefined {
  const parts = traceparent?.split('-');
  return parts?.length === 4 ? { traceId: parts[1], spanId: parts[2] } : undefined;
}

export function startSpan(
  name: string,
  parentTraceparent: string | undefined,
  options: { kind?: SpanKind; attributes?: Attributes } = {},
): Span {
  return trace.getTracer(TRACER_NAME).startSpan(name, options, contextOfTraceparent(parentTraceparent));
}

export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
  }
  span.end();
}

/** Runs one hop of a flow as a span of its trace (when tracing records), warning when it is slow. */
export function traceHop<T>(hop: Hop, work: () => Promise<T>): Promise<T> {
  const ambient = hop.context ?? currentMessageContext();
  if (!recording) {
    const timed = hop.slow ? () => warnIfSlow(hop.slow!, hop.name, work) : work;
    return hop.context ? runInMessageContext(hop.context, timed) : timed();
  }
  const span = startSpan(hop.name, ambient?.traceparent, hop);
  const run = async () => {
    try {
      const result = await context.with(trace.setSpan(ROOT_CONTEXT, span), work);
      endSpan(span);
      return result;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  };
  const timed = hop.slow ? () => warnIfSlow(hop.slow!, hop.name, run) : run;
  if (!ambient) return timed();
  return runInMessageContext(
    { ...ambient, traceparent: traceparentOfSpan(span) ?? ambient.traceparent },
    timed,
  );
}

/**
 * The relay's send of outbox rows: one producer span per message, a child of the hop that created
 * it (named in its headers), ended with Kafka's answer. Nothing is made while tracing is off.
 */
export function startPublishSpans(
  messages: readonly { topic: string; headers: Record<string, string> }[],
): (error?: unknown) => void {
  if (!recording) return () => undefined;
  const spans = messages.map(({ topic, headers }) =>
    startSpan(`publish ${topic}`, headers.traceparent, {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.message.id': headers.messageId,
        'tradecore.message_type': headers.type,
      },
    }),
  );
  return (error) => spans.forEach((span) => endSpan(span, error));
}

/** An inline projection of one event, as a span of the append that runs it. */
export function projectInSpan<T>(envelope: Envelope, work: () => Promise<T>): Promise<T> {
  if (!recording) return work();
  const attributes = { 'tradecore.message_id': envelope.messageId, 'tradecore.message_type': envelope.type };
  return traceHop({ name: `project ${envelope.type}`, attributes }, work);
}

export { SpanKind };
