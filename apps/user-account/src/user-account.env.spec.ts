import { EventingEnv } from '@tradecore/eventing/nest';
import { itDocumentsItsVariables } from '@tradecore/eventing/testing';
import { UserAccountEnv } from './user-account.env';

describe('user-account configuration', () => {
  // PORT is shared, but user-account documents its own default.
  itDocumentsItsVariables('user-account', UserAccountEnv, EventingEnv, ['PORT']);
});
