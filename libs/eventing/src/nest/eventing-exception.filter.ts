import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError } from '../decider/domain-error';
import { currentMessageContext } from '../envelope/message-context';
import { VersionConflictError } from '../event-store/version-conflict.error';
import { publicPathOf } from '../observability/public-path';
import { isDependencyOutage } from '../retry/dependency-outage';

interface HttpReply {
  headersSent?: boolean;
  setHeader?(name: string, value: string): void;
  status(code: number): HttpReply;
  json(body: unknown): void;
}

/** The one error shape every TradeCore service answers with; `code` is the stable part clients branch on. */
export interface ErrorBody {
  readonly statusCode: number;
  /** The HTTP reason phrase, e.g. "Conflict". */
  readonly error: string;
  readonly message: string;
  readonly code: string;
  readonly details: unknown;
}

/**
 * How a domain error code maps to HTTP: `*_NOT_FOUND` is 404, a clash with current state
 * (`*_CONFLICT`, `*ALREADY*`) is 409, every other broken rule 422.
 */
export function statusOfDomainError(error: DomainError): number {
  if (error.code.endsWith('_NOT_FOUND')) return HttpStatus.NOT_FOUND;
  if (error.code.endsWith('_CONFLICT') || error.code.includes('ALREADY')) return HttpStatus.CONFLICT;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

export function errorBody(
  statusCode: number,
  code: string,
  message: string,
  details: unknown = null,
): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code, details };
}

/** `NOT_FOUND` for 404 and so on, for HTTP exceptions thrown without a code of their own. */
function codeOfStatus(status: number): string {
  return (HttpStatus[status] as string | undefined) ?? `HTTP_${status}`;
}

// body-parser and other Express middleware fail with http-errors objects rather than HttpExceptions.
interface MiddlewareError {
  status: number;
  type?: string;
  message: string;
}

/** Long enough for a restarting database or broker, short enough that a client retrying politely is not left waiting. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

const MIDDLEWARE_CODES: Record<string, [string, string]> = {
  'entity.parse.failed': ['MALFORMED_JSON', 'The request body is not valid JSON'],
  'entity.too.large': ['PAYLOAD_TOO_LARGE', 'The request body is too large'],
};

/**
 * Errors are part of the interface: stable codes for rules and conflicts, 503 with Retry-After
 * when a dependency is down, nothing internal on a 500 or a 503.
 */
@Catch()
export class EventingExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<HttpReply>();
    if (reply.headersSent) return;
    const body = withPublicPath(this.describe(exception), host.switchToHttp().getRequest());
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.setHeader?.('Retry-After', String(retryAfter));
    reply.status(body.statusCode).json(body);
  }

  private describe(exception: unknown): ErrorBody {
    if (exception instanceof VersionConflictError) {
      return errorBody(HttpStatus.CONFLICT, exception.code, `${exception.message}; reload and retry`, {
        currentVersion: exception.currentVersion,
      });
    }
    if (exception instanceof DomainError) {
      return errorBody(
        statusOfDomainError(exception),
        exception.code,
        exception.message,
        exception.details ?? null,
      );
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'string') return errorBody(status, codeOfStatus(status), response);
      // Readiness answers with terminus' report, the format probes and dashboards read.
      if (isHealthReport(response)) return { ...response, statusCode: status } as unknown as ErrorBody;
      const { code, message, details } = response as { code?: unknown; message?: unknown; details?: unknown };
      return errorBody(
        status,
        typeof code === 'string'
          ? code
          : isJsonSyntaxError(status, message)
            ? 'MALFORMED_JSON'
            : codeOfStatus(status),
        Array.isArray(message) ? message.join('; ') : String(message ?? STATUS_CODES[status]),
        details ?? null,
      );
    }
    if (isMiddlewareError(exception)) {
      const [code, message] = MIDDLEWARE_CODES[exception.type ?? ''] ?? [
        codeOfStatus(exception.status),
        STATUS_CODES[exception.status] ?? 'Bad request',
      ];
      return errorBody(exception.status, code, message);
    }
    const correlationId = currentMessageContext()?.correlationId ?? null;
    if (isDependencyOutage(exception)) {
      this.logger.warn(
        `Dependency unavailable (correlation id ${correlationId}): ${(exception as Error).message}`,
      );
      return errorBody(
        HttpStatus.SERVICE_UNAVAILABLE,
        'DEPENDENCY_UNAVAILABLE',
        `This service cannot reach something it depends on right now; try again in ${DEPENDENCY_RETRY_AFTER_SECONDS} seconds`,
        { retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS, correlationId },
      );
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return errorBody(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'INTERNAL_ERROR',
      'Something went wrong on our side; quote the correlation id when reporting it',
      { correlationId },
    );
  }
}

/** Nest's router answers an unknown route with "Cannot POST /accounts/x": name the caller's path instead. */
function withPublicPath(body: ErrorBody, req: IncomingMessage & { originalUrl?: string }): ErrorBody {
  if (body.statusCode !== HttpStatus.NOT_FOUND) return body;
  const unknownRoute = /^Cannot ([A-Z]+) (\S+)$/.exec(body.message);
  if (!unknownRoute) return body;
  return { ...body, message: `Cannot ${unknownRoute[1]} ${publicPathOf(req, unknownRoute[2])}` };
}

// Nest turns body-parser's SyntaxError into a bare BadRequestException carrying only the parser's message.
function isJsonSyntaxError(status: number, message: unknown): boolean {
  return (
    status === HttpStatus.BAD_REQUEST &&
    typeof message === 'string' &&
    /JSON|Unexpected (token|end)/.test(message)
  );
}

function isHealthReport(response: object): boolean {
  return 'status' in response && 'info' in response && 'error' in response && 'details' in response;
}

function isMiddlewareError(exception: unknown): exception is MiddlewareError {
  const status = (exception as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && exception instanceof Error;
}
