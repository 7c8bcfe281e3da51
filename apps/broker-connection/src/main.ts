import { bootstrapService } from '@tradecore/eventing/nest';
import { BROKER_CONNECTION_SCHEMA, BrokerConnectionModule } from './broker-connection.module';

void bootstrapService(() => BrokerConnectionModule.forRoot(), { schema: BROKER_CONNECTION_SCHEMA });
