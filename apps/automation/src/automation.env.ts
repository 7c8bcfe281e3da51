import { IsOptional, Matches } from 'class-validator';
import { EventingEnv, Integer } from '@tradecore/eventing/nest';

/** The automation service's own variables; docs/configuration.md lists them under automation. */
export class AutomationEnv extends EventingEnv {
  /** Where users reach the gateway: the start of every webhook URL they paste into an alerting tool. */
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: '$property must be an http(s):// URL' })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  @Integer(1, 100_000)
  WEBHOOK_RATE_LIMIT_PER_MINUTE = 120;

  @Integer(256, 1_048_576)
  WEBHOOK_BODY_LIMIT_BYTES = 16_384;

  /** Each automation's signing secret is derived from it, so no secret is stored; unset, none can be issued. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]{43,}={0,2}$/, {
    message: '$property must be at least 32 random bytes in base64',
  })
  WEBHOOK_SIGNING_KEY?: string;

  /** How old a signed webhook's timestamp may be, either way, before it is refused as a replay. */
  @Integer(10, 3600)
  WEBHOOK_SIGNATURE_TOLERANCE_SECONDS = 300;
}
