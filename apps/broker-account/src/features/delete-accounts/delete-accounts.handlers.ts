import type { DeleteBrokerAccounts, RestoreBrokerAccounts } from '@tradecore/contracts';
import type { CommandContext } from '@tradecore/eventing';
import type { AccountStream } from '../../infrastructure/account-stream';

export async function deleteAccounts(
  accounts: AccountStream,
  payload: DeleteBrokerAccounts['payload'],
  { tx }: CommandContext,
): Promise<Record<string, never>> {
  await accounts.execute(
    payload.connectionId,
    { type: 'DeleteAccounts', accountIds: payload.accountIds, at: new Date().toISOString() },
    { tx },
  );
  return {};
}

export async function restoreAccounts(
  accounts: AccountStream,
  payload: RestoreBrokerAccounts['payload'],
  { tx }: CommandContext,
): Promise<Record<string, never>> {
  await accounts.execute(
    payload.connectionId,
    { type: 'RestoreAccounts', accountIds: payload.accountIds, at: new Date().toISOString() },
    { tx },
  );
  return {};
}
