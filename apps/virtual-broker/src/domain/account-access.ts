import { DomainError } from '@tradecore/eventing/domain';
import type { PaperAccountState } from './paper-account.state';

/** Another user's account answers exactly like a missing one, so account ids leak nothing. */
export function requireOwnedActiveAccount(state: PaperAccountState, requestedBy: string): PaperAccountState {
  if (state.status === 'UNPROVISIONED' || state.userId !== requestedBy) {
    throw new DomainError(
      'ACCOUNT_NOT_FOUND',
      'no paper account with this id belongs to you; check the account id or provision a paper account first',
    );
  }
  if (state.status === 'PURGED') {
    throw new DomainError(
      'ACCOUNT_PURGED',
      `paper account ${state.accountId} was purged with its broker connection and takes no orders; reconnect the connection to restore it`,
    );
  }
  return state;
}

export function requireProvisioned(state: PaperAccountState): PaperAccountState {
  if (state.status === 'UNPROVISIONED') {
    throw new DomainError(
      'ACCOUNT_NOT_FOUND',
      'this paper account was never provisioned; provision it before purging or restoring it',
    );
  }
  return state;
}
