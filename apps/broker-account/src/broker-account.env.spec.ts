import { EventingEnv } from '@tradecore/eventing/nest';
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
    const wrong = variables.filter(
      (variable) =>
        rows.get(variable) !== (defaults[variable] === undefined ? 'none' : String(defaults[variable])),
    );
    expect(wrong).toEqual([]);
  });
});
