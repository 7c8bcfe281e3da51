import { bootstrapService } from '@tradecore/eventing/nest';
import { prepareDatabase } from './infrastructure/prepare-database';
import { USER_ACCOUNT_SCHEMA, UserAccountModule } from './user-account.module';

void prepareDatabase(USER_ACCOUNT_SCHEMA).then(() => bootstrapService(UserAccountModule.forRoot()));
