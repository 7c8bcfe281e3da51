import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { runInMessageContext } from '../envelope/message-context';
import { startHttpHop } from './http-span';

export const CORRELATION_HEADER = 'x-correlation-id';
export const TRACEPARENT_HEADER = 'traceparent';

// A caller-supplied id ends up in logs and headers, so anything but a plain token is replaced.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers[CORRELATION_HEADER];
  return typeof header === 'string' && ACCEPTABLE_ID.test(header) ? header : undefined;
}

/**
 * Runs each request in a message context, so events it appends and lines it logs share its
 * correlation id, and as the request's span: a request without a traceparent starts a trace, and
 * every answer names the trace in its `traceparent` header (the gateway forwards it to the service).
 */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: Parameters<typeof startHttpHop>[0], res: ServerResponse, next: () => void): void {
    const correlationId = correlationIdOf(req) ?? uuidv7();
    req.headers[CORRELATION_HEADER] = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    const traceparent = startHttpHop(req, res, correlationId);
    req.headers[TRACEPARENT_HEADER] = traceparent;
    res.setHeader(TRACEPARENT_HEADER, traceparent);
    runInMessageContext({ correlationId, messageId: null, traceparent }, next);
  }
}
