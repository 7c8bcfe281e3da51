import { EventingEnv } from '@tradecore/eventing/nest';
import { itDocumentsItsVariables } from '@tradecore/eventing/testing';
import { GatewayEnv } from './gateway.env';

describe('api-gateway configuration', () => {
  itDocumentsItsVariables('api-gateway', GatewayEnv, EventingEnv);
});
