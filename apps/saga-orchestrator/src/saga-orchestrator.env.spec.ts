import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { itDocumentsItsVariables } from '@tradecore/eventing/testing';
import { SagaOrchestratorEnv } from './saga-orchestrator.env';

describe('saga-orchestrator configuration', () => {
  itDocumentsItsVariables('saga-orchestrator', SagaOrchestratorEnv, EventingEnv);

  it('refuses a timeout scale of zero, which would time every step out at once', () => {
    expect(() => validateEnv(SagaOrchestratorEnv)({ SAGA_TIMEOUT_SCALE: '0' })).toThrow(
      InvalidConfigurationError,
    );
    expect(validateEnv(SagaOrchestratorEnv)({ SAGA_TIMEOUT_SCALE: '0.1' }).SAGA_TIMEOUT_SCALE).toBe(0.1);
  });
});
