import type { EntityManager } from 'typeorm';
import type { BrokerAccountBalancesReported, BrokerConnectionPurged } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing';
import type { AccountStream } from '../../infrastructure/account-stream';

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

export async function purgeAccounts(
  accounts: AccountStream,
  purged: BrokerConnectionPurged['payload'],
  tx: EntityManager,
): Promise<void> {
  await accounts.execute(purged.connectionId, { type: 'PurgeAccounts', at: purged.purgedAt }, { tx });
}
