import { bootstrapService } from '@tradecore/eventing/nest';
import { AUTOMATION_SCHEMA, AutomationModule } from './automation.module';
import { readWebhookBodiesRaw } from './features/receive-webhook/raw-webhook-body';

void bootstrapService(() => AutomationModule.forRoot(), {
  schema: AUTOMATION_SCHEMA,
  configure: readWebhookBodiesRaw,
});
