import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { itDocumentsItsVariables } from '@tradecore/eventing/testing';
import { BrokerConnectionEnv } from './broker-connection.env';

describe('broker-connection configuration', () => {
  itDocumentsItsVariables('broker-connection', BrokerConnectionEnv, EventingEnv);

  it('refuses to start without an encryption key, naming the variable', () => {
    expect(() => validateEnv(BrokerConnectionEnv)({})).toThrow(InvalidConfigurationError);
    expect(() => validateEnv(BrokerConnectionEnv)({})).toThrow(/CREDENTIALS_KEYS/);
    expect(() =>
      validateEnv(BrokerConnectionEnv)({ CREDENTIALS_KEYS: 'k1:short', CREDENTIALS_ACTIVE_KEY_ID: 'k1' }),
    ).toThrow(/32-byte/);
  });
});
