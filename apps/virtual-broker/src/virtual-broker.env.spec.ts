import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { itDocumentsItsVariables } from '@tradecore/eventing/testing';
import { VirtualBrokerEnv } from './virtual-broker.env';

describe('virtual-broker configuration', () => {
  itDocumentsItsVariables('virtual-broker', VirtualBrokerEnv, EventingEnv);

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
