import {
  type ArgumentMetadata,
  BadRequestException,
  type ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { valueProblem } from './request-checks';

export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/** 400 naming each offending field, so a client can fix its request without reading server logs. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly fields: readonly FieldProblem[]) {
    super({
      code: 'VALIDATION_FAILED',
      message: `Invalid request: ${[...new Set(fields.map((problem) => problem.field))].join(', ')}`,
      details: fields,
    });
  }
}

export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, reason: Object.values(error.constraints).join('; ') }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/**
 * Refuses, before any DTO is built, input no field accepts: nesting deep enough to overflow the
 * transformer's stack, and NUL or broken Unicode, which PostgreSQL cannot store. The gateway checks
 * the same; this covers a service called directly.
 */
class StorableInputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = valueProblem(value, metadata.type === 'body' ? '$' : (metadata.data ?? metadata.type));
    if (problem) throw new BadRequestException(problem);
    return super.transform(value, metadata);
  }
}

/** Unknown fields are refused rather than dropped: a typo in a field name must not pass silently. */
export function createValidationPipe(): ValidationPipe {
  return new StorableInputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedException(fieldProblems(errors)),
  });
}
