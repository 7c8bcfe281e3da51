import type { ConnectionCommand, ConnectionEvent, Present } from './broker-connection.messages';
import { ref } from './connection-rules';

type RecordListedAccounts = Extract<ConnectionCommand, { type: 'RecordListedAccounts' }>;

/**
 * Compares the accounts the broker lists with those the connection has linked: accounts opened at
 * the broker are announced for linking, linked ones it no longer lists as closed. Only a connection
 * that is up is compared, and an empty list changes nothing: a broker that lists no account at all
 * is far more likely answering badly than closing every account at once.
 */
export function decideListedAccounts(
  command: RecordListedAccounts,
  state: Present,
): readonly ConnectionEvent[] {
  if ((state.status !== 'CONNECTED' && state.status !== 'DEGRADED') || command.accounts.length === 0)
    return [];
  const listedIds = command.accounts.map((account) => account.accountId);
  const opened = command.accounts.filter((account) => !state.linkedAccountIds.includes(account.accountId));
  const closedAccountIds = state.linkedAccountIds.filter((id) => !listedIds.includes(id));
  if (opened.length === 0 && closedAccountIds.length === 0) return [];
  return [
    {
      type: 'BrokerAccountsChanged',
      ...ref(state),
      broker: state.broker,
      mode: state.mode,
      opened: opened.map(({ accountId: _accountId, ...account }) => account),
      openedAccountIds: opened.map((account) => account.accountId),
      closedAccountIds,
      changedAt: command.at,
    },
  ];
}
