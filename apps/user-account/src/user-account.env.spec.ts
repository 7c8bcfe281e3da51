import { declaredVariables, documentedVariables } from '@tradecore/eventing/testing';
import { EventingEnv } from '@tradecore/eventing/nest';
import { UserAccountEnv } from './user-account.env';

const rows = documentedVariables('user-account');
const own = declaredVariables(UserAccountEnv, EventingEnv);
// PORT is shared, but user-account documents its own default.
const sharedWithOwnDefault = ['PORT'];

describe('docs/configuration.md, user-account section', () => {
  it('documents every variable user-account reads, and no other', () => {
    expect([...rows.keys()].sort()).toEqual([...new Set([...own, ...sharedWithOwnDefault])].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new UserAccountEnv() as unknown as Record<string, unknown>;
    const wrong = [...rows.keys()].filter(
      (variable) => defaults[variable] !== undefined && rows.get(variable) !== String(defaults[variable]),
    );
    expect(wrong).toEqual([]);
  });
});
