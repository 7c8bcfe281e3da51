import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { declaredVariables, documentedVariables } from '@tradecore/eventing/testing/configuration-docs';
import { SagaOrchestratorEnv } from './saga-orchestrator.env';

describe('saga-orchestrator configuration', () => {
  const rows = documentedVariables('saga-orchestrator');
  const variables = declaredVariables(SagaOrchestratorEnv, EventingEnv);

  it('documents exactly its own variables in docs/configuration.md', () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new SagaOrchestratorEnv() as unknown as Record<string, unknown>;
    const wrong = variables.filter(
      (variable) =>
        rows.get(variable) !== (defaults[variable] === undefined ? 'none' : String(defaults[variable])),
    );
    expect(wrong).toEqual([]);
  });

  it('refuses a timeout scale of zero, which would time every step out at once', () => {
    expect(() => validateEnv(SagaOrchestratorEnv)({ SAGA_TIMEOUT_SCALE: '0' })).toThrow(
      InvalidConfigurationError,
    );
    expect(validateEnv(SagaOrchestratorEnv)({ SAGA_TIMEOUT_SCALE: '0.1' }).SAGA_TIMEOUT_SCALE).toBe(0.1);
  });
});
