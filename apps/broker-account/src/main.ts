import { bootstrapService } from '@tradecore/eventing/nest';
import { BROKER_ACCOUNT_SCHEMA, BrokerAccountModule } from './broker-account.module';

void bootstrapService(() => BrokerAccountModule.forRoot(), { schema: BROKER_ACCOUNT_SCHEMA });
