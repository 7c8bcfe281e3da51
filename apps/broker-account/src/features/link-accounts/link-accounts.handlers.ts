import type {
  LinkBrokerAccounts,
  LinkBrokerAccountsResult,
  UnlinkBrokerAccounts,
} from '@tradecore/contracts';
import type { SagaContext } from '@tradecore/eventing';
import { type AccountStream, accountIdOf } from '../../infrastructure/account-stream';

/** The connection's accounts become one stream; the reply leaves with the append that links them. */
export async function linkAccounts(
  accounts: AccountStream,
  payload: LinkBrokerAccounts['payload'],
  { tx, reply }: SagaContext<'LinkBrokerAccounts'>,
): Promise<LinkBrokerAccountsResult> {
  const { connectionId, userId, broker, mode } = payload;
  const linked = payload.accounts.map((account) => ({
    ...account,
    accountId: accountIdOf(connectionId, account.externalAccountId),
  }));
  const result = { linkedAccountIds: linked.map((account) => account.accountId) };
  await accounts.execute(
    connectionId,
    {
      type: 'LinkAccounts',
      connectionId,
      userId,
      broker,
      mode,
      accounts: linked,
      at: new Date().toISOString(),
    },
    { tx, outgoing: reply.alongside(result) },
  );
  return result;
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
