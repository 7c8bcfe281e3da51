import { IsOptional, IsString, Matches } from 'class-validator';
import { EventingEnv } from '@tradecore/eventing/nest';

/** broker-account's variables on top of the shared ones; documented in docs/configuration.md. */
export class BrokerAccountEnv extends EventingEnv {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// connection URL' })
  DATABASE_ADMIN_URL?: string;

  @IsOptional()
  @IsString()
  DATABASE_PASSWORD?: string;
}
