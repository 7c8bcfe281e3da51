import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { runInMessageContext } from '../envelope/message-context';

export const CORRELATION_HEADER = 'x-correlation-id';

// A caller-supplied id ends up in logs and headers, so anything but a plain token is replaced.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers[CORRELATION_HEADER];
  return typeof header === 'string' && ACCEPTABLE_ID.test(header) ? header : undefined;
}

/** Runs each request in a message context, so events it appends and lines it logs share its correlation id. */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const correlationId = correlationIdOf(req) ?? uuidv7();
    req.headers[CORRELATION_HEADER] = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    const traceparent = req.headers.traceparent;
    runInMessageContext(
      {
        correlationId,
        messageId: null,
        traceparent: typeof traceparent === 'string' ? traceparent : undefined,
      },
      next,
    );
  }
}
