import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from '../decider/domain-error';

/** A malformed command is refused with the reasons, so its sender sees them instead of a dead letter in silence. */
export function validatedPayload<T extends object>(dto: (new () => T) | undefined, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new DomainError('INVALID_COMMAND', 'the command payload must be a JSON object');
  if (!dto) return payload as T;
  const instance = plainToInstance(dto, payload);
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const problems = errors.flatMap(function describe(error): string[] {
      return [...Object.values(error.constraints ?? {}), ...(error.children ?? []).flatMap(describe)];
    });
    throw new DomainError('INVALID_COMMAND', `the command payload is invalid: ${problems.join('; ')}`);
  }
  return instance;
}
