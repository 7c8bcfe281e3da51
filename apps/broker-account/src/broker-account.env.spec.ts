import { EventingEnv, InvalidConfigurationError, validateEnv } from '@tradecore/eventing/nest';
import { itDocumentsItsVariables } from '@tradecore/eventing/testing';
import { BrokerAccountEnv } from './broker-account.env';

describe('broker-account configuration', () => {
  itDocumentsItsVariables('broker-account', BrokerAccountEnv, EventingEnv);

  it('refuses a resume window shorter than ten seconds', () => {
    expect(() => validateEnv(BrokerAccountEnv)({ REALTIME_RESUME_WINDOW_SECONDS: '5' })).toThrow(
      InvalidConfigurationError,
    );
  });
});
