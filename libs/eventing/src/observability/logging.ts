import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { v7 as uuidv7 } from 'uuid';
import { currentMessageContext } from '../envelope/message-context';
import { CORRELATION_HEADER, correlationIdOf } from './correlation.middleware';

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

// WebSocket clients often pass their access token in the query string, where request logs would keep it.
const SECRET_QUERY =
  /([?&](?:token|access_token|accessToken|refresh_token|refreshToken|apiKey|secret)=)[^&#]*/g;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** Adds the message context to every line, so one grep for a correlation id shows the whole flow. */
export function messageContextFields(): Record<string, string> {
  const context = currentMessageContext();
  if (!context) return {};
  const fields: Record<string, string | undefined> = {
    correlationId: context.correlationId,
    messageId: context.messageId ?? undefined,
    sagaId: context.sagaId,
    sagaStep: context.sagaStep,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;
}

export function loggerParams(options: { serviceName: string; level: string }): Params {
  return {
    pinoHttp: {
      level: options.level,
      base: { service: options.serviceName },
      messageKey: 'message',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      mixin: messageContextFields,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Shares the id with CorrelationMiddleware whichever of the two runs first.
      genReqId: (req: IncomingMessage) => {
        const id = correlationIdOf(req) ?? uuidv7();
        req.headers[CORRELATION_HEADER] = id;
        return id;
      },
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
