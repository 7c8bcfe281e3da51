import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { declaredVariables, documentedVariables } from '@tradecore/eventing/testing/configuration-docs';
import { AutomationEnv } from './automation.env';

describe('automation configuration', () => {
  const rows = documentedVariables('automation');
  const variables = declaredVariables(AutomationEnv, EventingEnv);

  it('documents exactly its own variables in docs/configuration.md', () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new AutomationEnv() as unknown as Record<string, unknown>;
    expect(
      variables.filter(
        (variable) =>
          rows.get(variable) !== (defaults[variable] === undefined ? 'none' : String(defaults[variable])),
      ),
    ).toEqual([]);
  });

  it('refuses a public base URL that is not one', () => {
    expect(() => validateEnv(AutomationEnv)({ PUBLIC_BASE_URL: 'gateway' })).toThrow(
      InvalidConfigurationError,
    );
  });
});
