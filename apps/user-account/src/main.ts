import { bootstrapService } from '@tradecore/eventing/nest';
import { USER_ACCOUNT_SCHEMA, UserAccountModule } from './user-account.module';

void bootstrapService(() => UserAccountModule.forRoot(), { schema: USER_ACCOUNT_SCHEMA });
