import { IsIn, Matches } from 'class-validator';
import { EventingEnv, Integer } from '@tradecore/eventing/nest';

function Url(): PropertyDecorator {
  return Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: '$property must be an http(s):// URL' });
}

/**
 * The gateway reads only these and the shared PORT, LOG_LEVEL and CORS_ORIGINS; it has no
 * database, Redis or Kafka of its own.
 */
export class GatewayEnv extends EventingEnv {
  @Url()
  USER_ACCOUNT_URL = 'http://localhost:3001';

  @Url()
  BROKER_CONNECTION_URL = 'http://localhost:3002';

  @Url()
  BROKER_ACCOUNT_URL = 'http://localhost:3003';

  @Url()
  VIRTUAL_BROKER_URL = 'http://localhost:3004';

  @Url()
  SAGA_ORCHESTRATOR_URL = 'http://localhost:3005';

  @Url()
  AUTOMATION_URL = 'http://localhost:3006';

  @Integer(100, 300_000)
  UPSTREAM_TIMEOUT_MS = 10_000;

  @Integer(1, 104_857_600)
  BODY_LIMIT_BYTES = 1_048_576;

  @Integer(1, 1_000_000)
  RATE_LIMIT_MAX = 300;

  @Integer(1, 86_400)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  @Integer(0, 10)
  TRUST_PROXY_HOPS = 0;

  @Integer(0, 3600)
  OPENAPI_CACHE_SECONDS = 30;

  // Nothing of the gateway runs in the background, so it cannot be a worker.
  @IsIn(['all', 'api'], { message: '$property must be all or api: the gateway has no background work' })
  declare PROCESS_ROLE: 'all' | 'api';
}
