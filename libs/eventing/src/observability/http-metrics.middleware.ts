import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { PrometheusInstrumentation } from './prometheus.instrumentation';

/** Labels by route pattern, not URL, so ids in paths do not explode the label set. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(
    @Inject(PrometheusInstrumentation) private readonly instrumentation: PrometheusInstrumentation,
  ) {}

  use(
    req: IncomingMessage & { route?: { path?: string }; baseUrl?: string },
    res: ServerResponse,
    next: () => void,
  ): void {
    const started = performance.now();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      this.instrumentation.httpDuration.observe(
        { method: req.method ?? 'GET', route, status: String(res.statusCode) },
        (performance.now() - started) / 1000,
      );
    });
    next();
  }
}
