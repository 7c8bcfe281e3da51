import { DomainError } from '@tradecore/eventing/domain';
import { closedStatus } from './closed-orders';
import { findOpenOrder, type OpenOrder, type PaperAccountState } from './paper-account.state';

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

/** The open order a trader means to change; a closed one says how it closed, real accounts' codes alike. */
export function requireOpenOrder(state: PaperAccountState, orderId: string, change: string): OpenOrder {
  const order = findOpenOrder(state, orderId);
  if (order) return order;
  const closedAs = closedStatus(state.closedOrders, orderId);
  if (closedAs) {
    throw new DomainError(
      'ORDER_NOT_OPEN',
      `order ${orderId} is already ${closedAs}; only NEW or PARTIALLY_FILLED orders can be ${change}`,
    );
  }
  throw new DomainError('ORDER_NOT_FOUND', `this account has no order ${orderId}; check the order id`);
}
