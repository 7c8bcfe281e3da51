import { bootstrapService } from '@tradecore/eventing/nest';
import { BROKER_ACCOUNT_SCHEMA, BrokerAccountModule } from './broker-account.module';
import { prepareDatabase } from './infrastructure/prepare-database';

void prepareDatabase(BROKER_ACCOUNT_SCHEMA).then(() => bootstrapService(BrokerAccountModule.forRoot()));
