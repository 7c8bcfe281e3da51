import { AUTH_PUBLIC_KEY } from '@tradecore/auth';
import { bootstrapService } from '@tradecore/eventing/nest';
import { AuthenticatedWsAdapter } from './infrastructure/authenticated-ws.adapter';
import { SCHEMA, VirtualBrokerModule } from './virtual-broker.module';

async function main(): Promise<void> {
  await bootstrapService(() => VirtualBrokerModule.forRoot(SCHEMA), {
    schema: SCHEMA,
    configure: (app) => {
      app.useWebSocketAdapter(new AuthenticatedWsAdapter(app, app.get(AUTH_PUBLIC_KEY)));
    },
  });
}

void main();
