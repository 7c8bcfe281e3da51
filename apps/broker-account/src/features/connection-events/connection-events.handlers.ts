import type { EntityManager } from 'typeorm';
import type {
  BrokerAccountBalancesReported,
  BrokerAccountsChanged,
  BrokerConnectionPurged,
} from '@tradecore/contracts';
import { DomainError, ERASED } from '@tradecore/eventing';
import type { AccountStream } from '../../infrastructure/account-stream';
import { linkCommand } from '../link-accounts/link-accounts.handlers';

/** A report for a connection without accounts (linking failed, or already purged) is a fact to skip, not an error to retry. */
export async function recordBalances(
  accounts: AccountStream,
  report: BrokerAccountBalancesReported['payload'],
  tx: EntityManager,
): Promise<void> {
  try {
    await accounts.execute(
      report.connectionId,
      { type: 'RecordBalances', balances: report.balances },
      { tx },
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

/**
 * The same link path the connection saga takes (idempotent: the ids are derived), then the closed
 * accounts marked CLOSED. A connection purged meanwhile has nothing to change: skipped.
 */
export async function followAccountChanges(
  accounts: AccountStream,
  changes: BrokerAccountsChanged['payload'],
  tx: EntityManager,
): Promise<void> {
  const { connectionId, changedAt: at } = changes;
  // Sealed for no key of ours (a connection made before the keys, or an erased owner): unusable.
  const opened = changes.opened.filter((account) => account.externalAccountId !== ERASED);
  try {
    if (opened.length > 0) await accounts.execute(connectionId, linkCommand(changes, opened, at), { tx });
    if (changes.closedAccountIds.length > 0)
      await accounts.execute(
        connectionId,
        { type: 'CloseAccounts', accountIds: changes.closedAccountIds, at },
        { tx },
      );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

export async function purgeAccounts(
  accounts: AccountStream,
  purged: BrokerConnectionPurged['payload'],
  tx: EntityManager,
): Promise<void> {
  await accounts.execute(purged.connectionId, { type: 'PurgeAccounts', at: purged.purgedAt }, { tx });
}
