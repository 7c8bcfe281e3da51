import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_ROUTE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { operationsLog, slowOperationThresholdMs } from './operations-log';
import {
  endSpan,
  isTracingRecording,
  newTraceparent,
  SpanKind,
  startSpan,
  traceIdsOf,
  traceparentOfSpan,
} from './tracing';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);
// Only a well-formed traceparent is continued; anything else starts a new trace.
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The request as the first hop of its trace: a span (while tracing records) ended with the answer,
 * and a warning when a query (a read) or a command (any other method) is slower than
 * SLOW_OPERATION_MS. Returns the traceparent the request runs under.
 */
export function startHttpHop(
  req: IncomingMessage & { originalUrl?: string; route?: { path?: string }; baseUrl?: string },
  res: ServerResponse,
  correlationId: string,
): string {
  const incoming = req.headers.traceparent;
  const parent = typeof incoming === 'string' && TRACEPARENT.test(incoming) ? incoming : undefined;
  const method = req.method ?? 'GET';
  const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
  const started = performance.now();
  const span = isTracingRecording()
    ? startSpan(`${method} ${path}`, parent, {
        kind: SpanKind.SERVER,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path },
      })
    : undefined;
  const traceparent = (span && traceparentOfSpan(span)) ?? parent ?? newTraceparent();
  // 'finish' may fire outside the request's context, so its ids are named here.
  const ids = { correlationId, ...traceIdsOf(traceparent) };
  res.once('finish', () => {
    const durationMs = Math.round(performance.now() - started);
    // Named by its route once routing matched it, so ids in paths do not make every name unique.
    const route = req.route?.path && `${req.baseUrl ?? ''}${req.route.path}`;
    const name = `${method} ${route || path}`;
    if (span) {
      if (route) span.updateName(name).setAttribute(ATTR_HTTP_ROUTE, route);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      endSpan(span, res.statusCode >= 500 ? new Error(`answered ${res.statusCode}`) : undefined);
    }
    const kind = READS.has(method) ? 'query' : 'command';
    if (durationMs > slowOperationThresholdMs() && !QUIET_PATHS.has(path))
      operationsLog()?.warn(
        { operation: kind, name, status: res.statusCode, durationMs, ...ids },
        `slow ${kind}: ${name} took ${durationMs} ms`,
      );
  });
  return traceparent;
}
