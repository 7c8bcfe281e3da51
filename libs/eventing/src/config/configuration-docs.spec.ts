import { declaredVariables, documentedVariables } from '../testing/configuration-docs';
import { EventingEnv } from './eventing.env';

const rows = documentedVariables('Every service');
const variables = declaredVariables(EventingEnv);

describe('docs/configuration.md', () => {
  it('documents exactly the shared variables', () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new EventingEnv() as unknown as Record<string, unknown>;
    const wrong = variables.filter(
      (variable) => defaults[variable] !== undefined && rows.get(variable) !== String(defaults[variable]),
    );
    expect(wrong).toEqual([]);
  });
});
