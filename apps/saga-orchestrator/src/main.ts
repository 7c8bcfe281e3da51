import { bootstrapService } from '@tradecore/eventing/nest';
import { SAGA_ORCHESTRATOR_SCHEMA, SagaOrchestratorModule } from './saga-orchestrator.module';

void bootstrapService(() => SagaOrchestratorModule.forRoot(), { schema: SAGA_ORCHESTRATOR_SCHEMA });
