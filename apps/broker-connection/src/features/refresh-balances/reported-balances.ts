import type { DiscoveredAccount, ReportedAccountBalance } from '@tradecore/contracts';

/** The balances among the accounts a broker listed, as ReportBalances publishes them. */
export const reportedBalances = (accounts: readonly DiscoveredAccount[]): ReportedAccountBalance[] =>
  accounts.flatMap(({ externalAccountId, currency, balance }) =>
    balance ? [{ externalAccountId, currency, ...balance }] : [],
  );
