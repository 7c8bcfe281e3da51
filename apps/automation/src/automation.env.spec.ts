import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { itDocumentsItsVariables } from '@tradecore/eventing/testing';
import { AutomationEnv } from './automation.env';

describe('automation configuration', () => {
  itDocumentsItsVariables('automation', AutomationEnv, EventingEnv);

  it('refuses a public base URL that is not one', () => {
    expect(() => validateEnv(AutomationEnv)({ PUBLIC_BASE_URL: 'gateway' })).toThrow(
      InvalidConfigurationError,
    );
  });
});
