import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { declaredVariables, documentedVariables } from '@tradecore/eventing/testing/configuration-docs';
import { BrokerConnectionEnv } from './broker-connection.env';

describe('broker-connection configuration', () => {
  const rows = documentedVariables('broker-connection');
  const variables = declaredVariables(BrokerConnectionEnv, EventingEnv);

  it('documents exactly its own variables in docs/configuration.md', () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new BrokerConnectionEnv() as unknown as Record<string, unknown>;
    const wrong = variables.filter(
      (variable) =>
        rows.get(variable) !== (defaults[variable] === undefined ? 'none' : String(defaults[variable])),
    );
    expect(wrong).toEqual([]);
  });

  it('refuses to start without an encryption key, naming the variable', () => {
    expect(() => validateEnv(BrokerConnectionEnv)({})).toThrow(InvalidConfigurationError);
    expect(() => validateEnv(BrokerConnectionEnv)({})).toThrow(/CREDENTIALS_KEYS/);
    expect(() =>
      validateEnv(BrokerConnectionEnv)({ CREDENTIALS_KEYS: 'k1:short', CREDENTIALS_ACTIVE_KEY_ID: 'k1' }),
    ).toThrow(/32-byte/);
  });
});
