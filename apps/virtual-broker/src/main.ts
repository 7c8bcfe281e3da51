import { bootstrapService } from '@tradecore/eventing/nest';
import { AuthenticatedWsAdapter } from './infrastructure/authenticated-ws.adapter';
import { SCHEMA, VirtualBrokerModule } from './virtual-broker.module';

async function main(): Promise<void> {
  await bootstrapService(() => VirtualBrokerModule.forRoot(SCHEMA), {
    schema: SCHEMA,
    configure: (app) => {
      app.useWebSocketAdapter(new AuthenticatedWsAdapter(app));
    },
  });
}

void main();
