export { EventingEnv, Integer } from './eventing.env';
export { InvalidConfigurationError, validateEnv } from './validate-env';
export type { EnvClass } from './validate-env';
