import type {
  AccountToLink,
  LinkBrokerAccounts,
  LinkBrokerAccountsResult,
  UnlinkBrokerAccounts,
} from '@tradecore/contracts';
import type { SagaContext } from '@tradecore/eventing';
import type { AccountCommand } from '../../domain/broker-account.decider';
import { type AccountStream, accountIdOf } from '../../infrastructure/account-stream';

/** The connection's accounts become one stream; the reply leaves with the append that links them. */
export async function linkAccounts(
  accounts: AccountStream,
  payload: LinkBrokerAccounts['payload'],
  { tx, reply }: SagaContext<'LinkBrokerAccounts'>,
): Promise<LinkBrokerAccountsResult> {
  const command = linkCommand(payload, payload.accounts, new Date().toISOString());
  const result = { linkedAccountIds: command.accounts.map((account) => account.accountId) };
  await accounts.execute(payload.connectionId, command, { tx, outgoing: reply.alongside(result) });
  return result;
}

/** Links a connection's accounts under ids derived from the connection and the broker's number. */
export function linkCommand(
  { connectionId, userId, broker, mode }: Omit<LinkBrokerAccounts['payload'], 'accounts'>,
  accounts: readonly AccountToLink[],
  at: string,
): Extract<AccountCommand, { type: 'LinkAccounts' }> {
  const linked = accounts.map((account) => ({
    ...account,
    accountId: accountIdOf(connectionId, account.externalAccountId),
  }));
  return { type: 'LinkAccounts', connectionId, userId, broker, mode, accounts: linked, at };
}

export async function unlinkAccounts(
  accounts: AccountStream,
  payload: UnlinkBrokerAccounts['payload'],
  { tx, reply }: SagaContext<'UnlinkBrokerAccounts'>,
): Promise<Record<string, never>> {
  await accounts.execute(
    payload.connectionId,
    { type: 'UnlinkAccounts', accountIds: payload.accountIds, at: new Date().toISOString() },
    { tx, outgoing: reply.alongside({}) },
  );
  return {};
}
