import { IsEmail, IsOptional, IsString, MinLength } from 'class-validator';
import { EventingEnv, Integer } from '@tradecore/eventing/nest';

/** user-account's own variables; docs/configuration.md lists them under "user-account". */
export class UserAccountEnv extends EventingEnv {
  override PORT = 3001;

  @IsOptional()
  @IsString()
  AUTH_PRIVATE_KEY?: string;

  @IsOptional()
  @IsString()
  AUTH_PRIVATE_KEY_FILE?: string;

  @Integer(30, 86_400)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Integer(300, 31_536_000)
  REFRESH_TOKEN_TTL_SECONDS = 2_592_000;

  @Integer(1, 1000)
  LOGIN_MAX_FAILURES_PER_ACCOUNT = 5;

  @Integer(1, 100_000)
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 50;

  @Integer(1, 86_400)
  LOGIN_THROTTLE_WINDOW_SECONDS = 900;

  @Integer(1, 64)
  PASSWORD_HASH_CONCURRENCY = 2;

  @Integer(0, 10_000)
  PASSWORD_HASH_QUEUE_LIMIT = 20;

  @Integer(0, 60_000)
  PASSWORD_HASH_MAX_WAIT_MS = 3000;

  @IsOptional()
  @IsEmail({}, { message: '$property must be an email address' })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @MinLength(12, { message: '$property must be at least 12 characters' })
  ADMIN_PASSWORD?: string;
}
