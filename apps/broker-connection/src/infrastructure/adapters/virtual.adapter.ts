import { v5 as uuidv5 } from 'uuid';
import type { DiscoveredAccount } from '@tradecore/contracts';
import { type BrokerAdapter, type DiscoveryRequest, type VirtualAccountsRequest } from './broker-adapter';

const VIRTUAL_ACCOUNT_NAMESPACE = '5b7e3c1a-0f1d-4c55-9a7e-2f4a3b6c8d90';

/**
 * The virtual broker has no credentials to check: "discovery" decides which paper accounts
 * the connection asks for. Their ids derive from the connection id, so a retried
 * verification names the same accounts and provisioning on the virtual broker stays idempotent.
 */
export class VirtualAdapter implements BrokerAdapter<{ broker: 'virtual' } & VirtualAccountsRequest> {
  readonly broker = 'virtual' as const;

  async discoverAccounts({
    connectionId,
    credentials,
  }: DiscoveryRequest<{ broker: 'virtual' } & VirtualAccountsRequest>): Promise<DiscoveredAccount[]> {
    return Array.from({ length: credentials.accountCount }, (_, index) => ({
      externalAccountId: uuidv5(`${connectionId}/${index}`, VIRTUAL_ACCOUNT_NAMESPACE),
      displayName: `Paper account ${index + 1}`,
      currency: credentials.currency,
      accountType: 'paper',
      startingCash: credentials.startingCash,
    }));
  }
}
