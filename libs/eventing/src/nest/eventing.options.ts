import type { ConfigService } from '@nestjs/config';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { EventingEnv } from '../config/eventing.env';
import type { EnvClass } from '../config/validate-env';
import type { Upcaster } from '../event-store/upcaster';
import type { PersonalFields } from '../privacy/sealed-fields';
import type { ProjectionRegistration } from '../projections/projection-registration';
import type { PruneRule } from '../pruning/table-pruner';
import type { TopicDeclaration } from '../topics/topic-registry';

export interface EventingModuleOptions {
  /** Names the service in logs, metrics, the Kafka client id and default consumer groups. */
  readonly serviceName: string;
  /** The PostgreSQL schema the service owns: event store, outbox, inbox, dead letters and its read models. */
  readonly schema: string;
  /** Topics the service publishes (`owned`, created at start-up with their DLQ) and consumes (must exist). */
  readonly topics: readonly TopicDeclaration[];
  /** The service's own variables, as a subclass of EventingEnv. */
  readonly env?: EnvClass<EventingEnv>;
  /** Provides an ioredis client and adds Redis to readiness. */
  readonly redis?: boolean;
  readonly upcasters?: readonly Upcaster[];
  readonly snapshotEvery?: number;
  /**
   * The message types whose fields hold personal data (from @tradecore/contracts' personalFields):
   * sealed with a key per user in the schema's data_keys, shredded when the user is deleted.
   */
  readonly personalData?: PersonalFields;
  /** Read-model entities, service migrations and the like; connection settings come from the environment. */
  readonly typeorm?: Partial<Omit<PostgresConnectionOptions, 'type' | 'url' | 'schema'>>;
  /** The service's own operational tables to prune by age, besides the inbox and dead letters; `config` holds its `env`. */
  readonly pruneRules?: (config: ConfigService<EventingEnv, true>) => readonly PruneRule[];
  /** The service's read models: rebuilt and checked for drift through /ops/projections (docs/operations.md). */
  readonly projections?: readonly ProjectionRegistration[];
}

export const EVENTING_OPTIONS = Symbol('EVENTING_OPTIONS');
