import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { declaredVariables, documentedVariables } from '@tradecore/eventing/testing/configuration-docs';
import { BrokerAccountEnv } from './broker-account.env';

describe('broker-account configuration', () => {
  const rows = documentedVariables('broker-account');
  const variables = declaredVariables(BrokerAccountEnv, EventingEnv);

  it('documents exactly its own variables in docs/configuration.md', () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new BrokerAccountEnv() as unknown as Record<string, unknown>;
    expect(variables.filter((variable) => rows.get(variable) !== String(defaults[variable]))).toEqual([]);
  });

  it('refuses a resume window shorter than ten seconds', () => {
    expect(() => validateEnv(BrokerAccountEnv)({ REALTIME_RESUME_WINDOW_SECONDS: '5' })).toThrow(
      InvalidConfigurationError,
    );
  });
});
