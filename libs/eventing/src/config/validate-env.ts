import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Raised at start-up; its message is the one line an operator needs to fix the deployment. */
export class InvalidConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

export type EnvClass<T extends object> = new () => T;

/**
 * Builds the `validate` function for `ConfigModule.forRoot`. Empty strings count as unset,
 * so a blank line in a compose file falls back to the default instead of failing as "".
 */
export function validateEnv<T extends object>(envClass: EnvClass<T>): (raw: Record<string, unknown>) => T {
  return (raw) => {
    const present = Object.fromEntries(
      Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
    );
    const env = plainToInstance(envClass, present, { exposeDefaultValues: true });
    const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
    if (errors.length > 0) {
      throw new InvalidConfigurationError(errors.map((error) => describe(error, present[error.property])));
    }
    return env;
  };
}

function describe(error: ValidationError, raw: unknown): string {
  const reason = Object.values(error.constraints ?? {})[0] ?? `${error.property} is invalid`;
  return raw === undefined ? `${reason} (not set)` : `${reason} (got ${JSON.stringify(raw)})`;
}
