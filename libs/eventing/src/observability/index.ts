export { PrometheusInstrumentation } from './prometheus.instrumentation';
export { CORRELATION_HEADER, CorrelationMiddleware, correlationIdOf } from './correlation.middleware';
export { HttpMetricsMiddleware } from './http-metrics.middleware';
export { loggerParams, messageContextFields, REDACTED_PATHS, redactUrl } from './logging';
export { MetricsController } from './metrics.controller';
export { FORWARDED_PREFIX_HEADER, publicPathOf } from './public-path';
