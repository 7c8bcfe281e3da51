import { declaredVariables, documentedVariables } from '@tradecore/eventing/testing';
import { EventingEnv } from '@tradecore/eventing/nest';
import { GatewayEnv } from './gateway.env';

const rows = documentedVariables('api-gateway');

describe('docs/configuration.md, api-gateway section', () => {
  it('documents every variable of the gateway, and no other', () => {
    expect([...rows.keys()].sort()).toEqual(declaredVariables(GatewayEnv, EventingEnv).sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new GatewayEnv() as unknown as Record<string, unknown>;
    const wrong = [...rows.keys()].filter((variable) => rows.get(variable) !== String(defaults[variable]));
    expect(wrong).toEqual([]);
  });
});
