import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { CORRELATION_HEADER } from './correlation.middleware';
import { HttpHopReporter } from './http-hop.reporter';
import { publicPathOf } from './public-path';

// Reads start nothing, so only requests that may start a flow are reported.
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Makes the HTTP request the first hop of its correlation's trace. Runs after CorrelationMiddleware. */
@Injectable()
export class HttpHopMiddleware implements NestMiddleware {
  constructor(@Inject(HttpHopReporter) private readonly reporter: HttpHopReporter) {}

  use(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void {
    const correlationId = req.headers[CORRELATION_HEADER];
    const traceparent = req.headers.traceparent;
    const method = req.method ?? 'GET';
    if (READS.has(method) || typeof correlationId !== 'string') return next();
    const startedAt = Date.now();
    const started = performance.now();
    res.once('finish', () =>
      this.reporter.report({
        method,
        path: publicPathOf(req, (req.originalUrl ?? req.url ?? '/').split('?')[0]),
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
        correlationId,
        ...(typeof traceparent === 'string' && { traceparent }),
        startedAt,
      }),
    );
    next();
  }
}
