import { bootstrapService } from '@tradecore/eventing/nest';
import { prepareDatabase } from './infrastructure/prepare-database';
import { SAGA_ORCHESTRATOR_SCHEMA, SagaOrchestratorModule } from './saga-orchestrator.module';

void prepareDatabase(SAGA_ORCHESTRATOR_SCHEMA).then(() => bootstrapService(SagaOrchestratorModule.forRoot()));
