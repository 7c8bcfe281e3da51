import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { currentMessageContext } from '../envelope/message-context';
import { CORRELATION_HEADER, correlationIdOf } from './correlation.middleware';
import { withLazyChildren } from './lazy-child-logger';
import { configureOperationsLog } from './operations-log';
import { traceIdsOf } from './tracing';

/** Wherever these names appear, in requests or in logged objects, their values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'newPassword',
    'currentPassword',
    'credentials',
    'token',
    'accessToken',
    'refreshToken',
    'apiKey',
    'apiSecret',
    'secret',
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

// WebSocket clients often pass their access token in the query string, where request logs would keep it;
// an OAuth callback brings an authorization code and its state the same way.
const SECRET_QUERY =
  /([?&](?:token|access_token|accessToken|refresh_token|refreshToken|apiKey|secret|code|state)=)[^&#]*/g;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** Adds the message context to every line, so one grep for a correlation id shows the whole flow. */
export function messageContextFields(): Record<string, string> {
  const context = currentMessageContext();
  if (!context) return {};
  const fields: Record<string, string> = { correlationId: context.correlationId };
  if (context.messageId != null) fields.messageId = context.messageId;
  if (context.causationId != null) fields.causationId = context.causationId;
  if (context.streamId !== undefined) fields.streamId = context.streamId;
  if (context.messageType !== undefined) fields.messageType = context.messageType;
  if (context.sagaId !== undefined) fields.sagaId = context.sagaId;
  if (context.sagaStep !== undefined) fields.sagaStep = context.sagaStep;
  const trace = traceIdsOf(context.traceparent);
  if (trace) Object.assign(fields, trace);
  return fields;
}

type LoggedRequest = IncomingMessage & { id?: string; originalUrl?: string };

/** The service's root logger: JSON lines with its name, the message context and secrets redacted. */
export function loggerOptions(options: { serviceName: string; level: string }): LoggerOptions {
  return {
    level: options.level,
    base: { service: options.serviceName },
    messageKey: 'message',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    mixin: messageContextFields,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: LoggedRequest) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.originalUrl || req.url || ''),
      }),
      res: (res: ServerResponse) => ({ statusCode: res.headersSent ? res.statusCode : null }),
    },
  };
}

/**
 * The root logger pino-http makes each request's logger from. Above info a success is never
 * written, so each request's logger is built only if something is; at info it always is, and
 * building it at once is cheaper than deferring it.
 */
export function serviceLogger(
  options: { serviceName: string; level: string },
  destination?: DestinationStream,
): Logger {
  const root = destination ? pino(loggerOptions(options), destination) : pino(loggerOptions(options));
  return root.isLevelEnabled('info') ? root : withLazyChildren(root);
}

/** nestjs-pino's settings; the same root logger writes the eventing mechanism's own lines. */
export function loggerParams(options: {
  serviceName: string;
  level: string;
  slowOperationMs?: number;
}): Params {
  const logger = serviceLogger(options);
  configureOperationsLog({ logger, slowOperationMs: options.slowOperationMs });
  return {
    pinoHttp: {
      logger,
      // Off: the wrapping copies every request (headers included) into a new object, which our
      // serializers then narrow to three fields; they read the raw request and response instead.
      wrapSerializers: false,
      // Shares the id with CorrelationMiddleware whichever of the two runs first.
      genReqId: (req: IncomingMessage) => {
        const id = correlationIdOf(req) ?? uuidv7();
        req.headers[CORRELATION_HEADER] = id;
        return id;
      },
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}
