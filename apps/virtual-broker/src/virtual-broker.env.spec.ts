import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { declaredVariables, documentedVariables } from '@tradecore/eventing/testing/configuration-docs';
import { VirtualBrokerEnv } from './virtual-broker.env';

describe('virtual-broker configuration', () => {
  const rows = documentedVariables('virtual-broker');
  const variables = declaredVariables(VirtualBrokerEnv, EventingEnv);

  it('documents exactly its own variables in docs/configuration.md', () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new VirtualBrokerEnv() as unknown as Record<string, unknown>;
    const wrong = variables.filter(
      (variable) =>
        rows.get(variable) !== (defaults[variable] === undefined ? 'none' : String(defaults[variable])),
    );
    expect(wrong).toEqual([]);
  });

  it('refuses a malformed symbol list with one line naming the variable', () => {
    expect(() => validateEnv(VirtualBrokerEnv)({ QUOTE_SYMBOLS: 'aapl=190' })).toThrow(
      InvalidConfigurationError,
    );
    expect(() => validateEnv(VirtualBrokerEnv)({ QUOTE_SYMBOLS: 'aapl=190' })).toThrow(
      /QUOTE_SYMBOLS must list/,
    );
  });

  it('takes 0 as the manual tick mode', () => {
    expect(validateEnv(VirtualBrokerEnv)({ QUOTE_TICK_MS: '0' }).QUOTE_TICK_MS).toBe(0);
  });
});
