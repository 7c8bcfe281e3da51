import { bootstrapService } from '@tradecore/eventing/nest';
import { BROKER_CONNECTION_SCHEMA, BrokerConnectionModule } from './broker-connection.module';
import { prepareDatabase } from './infrastructure/prepare-database';

void prepareDatabase(BROKER_CONNECTION_SCHEMA).then(() => bootstrapService(BrokerConnectionModule.forRoot()));
