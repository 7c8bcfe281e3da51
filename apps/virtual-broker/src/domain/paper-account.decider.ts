// One paper account is one consistency boundary: orders live inside it so cash never goes negative and no sale goes short.
import { requireOwnedActiveAccount, requireProvisioned } from './account-access';
import { paperCurrencyProblem } from '@tradecore/contracts';
import { DomainError } from '@tradecore/eventing/domain';
import { formatMoney, isWholeNumber, MAX_STARTING_CASH_CENTS } from './money';
import { cancellation } from './order-cancellation';
import {
  cancelOrder,
  expireDayOrders,
  fillOrdersAgainstQuote,
  type OrderRules,
  placeOrder,
  recordOrderRejection,
} from './order-commands';
import { replaceOrder } from './order-replacement';
import type {
  CancelOpenOrders,
  OrderCancelled,
  PaperAccountCommand,
  PaperAccountEvent,
  PaperAccountProvisioned,
  PaperAccountPurged,
  PaperAccountReset,
  PaperAccountRestored,
  ProvisionPaperAccount,
  PurgePaperAccount,
  ResetPaperAccount,
  RestorePaperAccount,
} from './paper-account.messages';
import { evolve, initialState, type PaperAccountState } from './paper-account.state';

export { evolve, initialState } from './paper-account.state';
export type { PaperAccountState } from './paper-account.state';
export { rejectionOf } from './order-commands';

const DEFAULT_ORDER_RULES: OrderRules = { marketBuyCollarBps: 100 };

function createDecide(rules: OrderRules) {
  return function decide(command: PaperAccountCommand, state: PaperAccountState): PaperAccountEvent[] {
    switch (command.type) {
      case 'ProvisionPaperAccount':
        return provision(command, state);
      case 'PlaceOrder':
        return placeOrder(command, state, rules);
      case 'RecordOrderRejection':
        return recordOrderRejection(command, state);
      case 'ReplaceOrder':
        return replaceOrder(command, state, rules);
      case 'CancelOrder':
        return cancelOrder(command, state);
      case 'CancelOpenOrders':
        return cancelOpenOrders(command, state);
      case 'FillOrdersAgainstQuote':
        return fillOrdersAgainstQuote(command, state);
      case 'ExpireDayOrders':
        return expireDayOrders(command, state);
      case 'ResetPaperAccount':
        return reset(command, state);
      case 'PurgePaperAccount':
        return purge(command, state);
      case 'RestorePaperAccount':
        return restore(command, state);
      default: {
        const unhandled: never = command;
        throw new DomainError(
          'UNKNOWN_COMMAND',
          `the paper account does not handle ${JSON.stringify(unhandled)}`,
        );
      }
    }
  };
}

export const decide = createDecide(DEFAULT_ORDER_RULES);

export function createPaperAccountDecider(rules: OrderRules = DEFAULT_ORDER_RULES) {
  return { initialState, evolve, decide: createDecide(rules) };
}

export const paperAccountDecider = { initialState, evolve, decide };

/** A saga may deliver provisioning twice; the same request again is a no-op, a different one is refused. */
export function provision(
  command: ProvisionPaperAccount,
  state: PaperAccountState,
): PaperAccountProvisioned[] {
  if (state.status !== 'UNPROVISIONED') {
    const same =
      state.userId === command.userId &&
      state.connectionId === command.connectionId &&
      state.currency === command.currency &&
      state.startingCashCents === command.startingCashCents;
    if (same && state.status === 'ACTIVE') return [];
    if (state.status === 'PURGED') {
      throw new DomainError(
        'ACCOUNT_PURGED',
        `paper account ${state.accountId} was purged; restore it with RestorePaperAccount or provision under a new account id`,
      );
    }
    throw new DomainError(
      'ACCOUNT_ALREADY_PROVISIONED',
      `paper account ${state.accountId} is already provisioned for another request; provision under a new account id`,
    );
  }
  if (!command.accountId || !command.userId || !command.connectionId) {
    throw new DomainError(
      'INVALID_PROVISIONING',
      'provisioning needs an account id, a user id and a connection id',
    );
  }
  const currencyProblem = paperCurrencyProblem(command.currency);
  if (currencyProblem) throw new DomainError('INVALID_CURRENCY', currencyProblem);
  if (
    !isWholeNumber(command.startingCashCents) ||
    command.startingCashCents < 1 ||
    command.startingCashCents > MAX_STARTING_CASH_CENTS
  ) {
    throw new DomainError(
      'INVALID_STARTING_CASH',
      `starting cash must be whole cents from 0.01 to ${formatMoney(MAX_STARTING_CASH_CENTS, command.currency)}, got ${command.startingCashCents}`,
    );
  }
  const { type: _type, ...facts } = command;
  return [{ type: 'PaperAccountProvisioned', ...facts }];
}

/** Back to the starting cash with no positions; open orders are cancelled first so each leaves a history entry. */
export function reset(
  command: ResetPaperAccount,
  state: PaperAccountState,
): (OrderCancelled | PaperAccountReset)[] {
  const account = requireOwnedActiveAccount(state, command.requestedBy);
  return [
    ...account.openOrders.map((order) => cancellation(order, 'ACCOUNT_RESET', command.resetAt)),
    { type: 'PaperAccountReset', cashCents: account.startingCashCents, resetAt: command.resetAt },
  ];
}

/**
 * Purging implies cancelling: a purged account must not trade on the next quote. Cash and positions
 * are kept so a compensating restore brings the account back as it was; the cancelled orders stay cancelled.
 */
export function purge(
  command: PurgePaperAccount,
  state: PaperAccountState,
): (OrderCancelled | PaperAccountPurged)[] {
  const account = requireProvisioned(state);
  if (account.status === 'PURGED') return [];
  return [
    ...account.openOrders.map((order) => cancellation(order, 'ACCOUNT_PURGED', command.purgedAt)),
    { type: 'PaperAccountPurged', purgedAt: command.purgedAt },
  ];
}

export function restore(command: RestorePaperAccount, state: PaperAccountState): PaperAccountRestored[] {
  const account = requireProvisioned(state);
  if (account.status === 'ACTIVE') return [];
  return [{ type: 'PaperAccountRestored', restoredAt: command.restoredAt }];
}

/** Idempotent for the saga: a purged or already quiet account simply has nothing left to cancel. */
export function cancelOpenOrders(command: CancelOpenOrders, state: PaperAccountState): OrderCancelled[] {
  const account = requireProvisioned(state);
  return account.openOrders.map((order) => cancellation(order, 'CONNECTION_CLOSING', command.cancelledAt));
}
