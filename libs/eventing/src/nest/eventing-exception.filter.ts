import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError } from '../decider/domain-error';
import { currentMessageContext } from '../envelope/message-context';
import { VersionConflictError } from '../event-store/version-conflict.error';

interface HttpReply {
  status(code: number): HttpReply;
  json(body: unknown): void;
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

/** Errors are part of the interface: stable codes for rules and conflicts, nothing internal on a 500. */
@Catch()
export class EventingExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<HttpReply>();
    const [status, body] = this.describe(exception);
    reply.status(status).json(body);
  }

  private describe(exception: unknown): [number, object] {
    if (exception instanceof VersionConflictError) {
      return [
        HttpStatus.CONFLICT,
        {
          statusCode: HttpStatus.CONFLICT,
          error: exception.code,
          message: `${exception.message}; reload and retry`,
          currentVersion: exception.currentVersion,
        },
      ];
    }
    if (exception instanceof DomainError) {
      const status = statusOfDomainError(exception);
      return [
        status,
        {
          statusCode: status,
          error: exception.code,
          message: exception.message,
          ...(exception.details && { details: exception.details }),
        },
      ];
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const body =
        typeof response === 'string' ? { statusCode: exception.getStatus(), message: response } : response;
      return [exception.getStatus(), body];
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return [
      HttpStatus.INTERNAL_SERVER_ERROR,
      {
        statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
        error: 'INTERNAL_ERROR',
        message: 'Something went wrong on our side; quote the correlation id when reporting it',
        correlationId: currentMessageContext()?.correlationId,
      },
    ];
  }
}
