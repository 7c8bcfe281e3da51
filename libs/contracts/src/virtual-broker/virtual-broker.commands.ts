import { Message, typeNamesOf } from '../message';
import { VirtualAccount } from './virtual-broker.events';

/** BrokerConnection step for the virtual broker; idempotent per `virtualAccountId`. Replies with no result. */
export type ProvisionVirtualAccounts = Message<
  'ProvisionVirtualAccounts',
  { connectionId: string; userId: string; accounts: readonly VirtualAccount[] }
>;

/** Compensates ProvisionVirtualAccounts and is a BrokerDisconnection step. */
export type PurgeVirtualAccounts = Message<
  'PurgeVirtualAccounts',
  { connectionId: string; virtualAccountIds: readonly string[] }
>;

export type RestoreVirtualAccounts = Message<
  'RestoreVirtualAccounts',
  { connectionId: string; virtualAccountIds: readonly string[] }
>;

/** Not compensable: a cancelled order stays cancelled, which is why it runs only once the purge has begun. */
export type CancelOpenOrders = Message<
  'CancelOpenOrders',
  { connectionId: string; virtualAccountIds: readonly string[] }
>;

export interface CancelOpenOrdersResult {
  readonly cancelledOrderIds: readonly string[];
}

export type VirtualBrokerCommand =
  ProvisionVirtualAccounts | PurgeVirtualAccounts | RestoreVirtualAccounts | CancelOpenOrders;

export const virtualBrokerCommandTypes = typeNamesOf<VirtualBrokerCommand>({
  ProvisionVirtualAccounts: true,
  PurgeVirtualAccounts: true,
  RestoreVirtualAccounts: true,
  CancelOpenOrders: true,
});
