import type { Decimal } from '@tradecore/contracts';
import { type Decider, DomainError } from '@tradecore/eventing/domain';
import type {
  AccountCommand,
  AccountEvent,
  AccountRecord,
  AccountsState,
  Present,
  ReportedBalance,
} from './broker-account.messages';

export * from './broker-account.messages';

// One stream per connection: an account belongs to exactly one connection and one owner, and
// nothing is restorable once the connection is purged.

const withStatus = (state: Present, ids: readonly string[], status: AccountRecord['status']): Present => ({
  ...state,
  accounts: state.accounts.map((account) =>
    ids.includes(account.accountId) ? { ...account, status } : account,
  ),
});

function evolve(state: AccountsState, event: AccountEvent): AccountsState {
  if (event.type === 'BrokerAccountsLinked') {
    const existing = state.status === 'ABSENT' ? [] : state.accounts;
    const added = event.accounts.map((account) => ({ ...account, status: 'ACTIVE' as const }));
    return {
      status: 'LINKED',
      connectionId: event.connectionId,
      userId: event.userId,
      accounts: [...existing, ...added],
    };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'BrokerAccountsUnlinked':
      return {
        ...state,
        accounts: state.accounts.filter((account) => !event.accountIds.includes(account.accountId)),
      };
    case 'BrokerAccountsDeleted':
      return withStatus(state, event.accountIds, 'DELETED');
    case 'BrokerAccountsRestored':
      return withStatus(state, event.accountIds, 'ACTIVE');
    case 'BrokerAccountsClosed':
      return withStatus(state, event.accountIds, 'CLOSED');
    case 'BrokerAccountsPurged':
      return { ...state, status: 'PURGED', accounts: [] };
    case 'BrokerAccountBalanceUpdated':
      return {
        ...state,
        accounts: state.accounts.map((account) =>
          account.accountId === event.accountId ? { ...account, balanceAsOf: event.asOf } : account,
        ),
      };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

const refuse = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, details);
};

function requireKnown(state: Present, ids: readonly string[]): void {
  const unknown = ids.filter((id) => !state.accounts.some((account) => account.accountId === id));
  if (unknown.length > 0)
    refuse(
      'BROKER_ACCOUNT_NOT_FOUND',
      `Not accounts of connection ${state.connectionId}: ${unknown.join(', ')}`,
      {
        accountIds: unknown,
      },
    );
}

const idsWhere = (state: Present, status: AccountRecord['status'], only?: readonly string[]) =>
  state.accounts
    .filter((account) => account.status === status && (!only || only.includes(account.accountId)))
    .map((account) => account.accountId);

function decide(command: AccountCommand, state: AccountsState): readonly AccountEvent[] {
  switch (command.type) {
    case 'LinkAccounts':
      return decideLink(command, state);
    case 'UnlinkAccounts': {
      if (state.status !== 'LINKED') return [];
      const accountIds = state.accounts
        .map((account) => account.accountId)
        .filter((id) => !command.accountIds || command.accountIds.includes(id));
      return accountIds.length === 0
        ? []
        : [
            {
              type: 'BrokerAccountsUnlinked',
              connectionId: state.connectionId,
              userId: state.userId,
              accountIds,
              unlinkedAt: command.at,
            },
          ];
    }
    case 'DeleteAccounts': {
      if (state.status === 'ABSENT')
        return command.accountIds?.length
          ? refuse('BROKER_ACCOUNT_NOT_FOUND', 'This connection has no accounts')
          : [];
      if (state.status === 'PURGED') return [];
      requireKnown(state, command.accountIds ?? []);
      const accountIds = idsWhere(state, 'ACTIVE', command.accountIds);
      return accountIds.length === 0
        ? []
        : [
            {
              type: 'BrokerAccountsDeleted',
              connectionId: state.connectionId,
              userId: state.userId,
              accountIds,
              deletedAt: command.at,
            },
          ];
    }
    case 'RestoreAccounts': {
      if (state.status === 'ABSENT')
        return command.accountIds.length
          ? refuse('BROKER_ACCOUNT_NOT_FOUND', 'This connection has no accounts')
          : [];
      if (state.status === 'PURGED')
        return refuse('BROKER_ACCOUNTS_PURGED', 'The connection was purged; its accounts are gone');
      requireKnown(state, command.accountIds);
      const accountIds = idsWhere(state, 'DELETED', command.accountIds);
      return accountIds.length === 0
        ? []
        : [
            {
              type: 'BrokerAccountsRestored',
              connectionId: state.connectionId,
              userId: state.userId,
              accountIds,
              restoredAt: command.at,
            },
          ];
    }
    case 'CloseAccounts': {
      if (state.status !== 'LINKED') return [];
      const accountIds = idsWhere(state, 'ACTIVE', command.accountIds);
      return accountIds.length === 0
        ? []
        : [
            {
              type: 'BrokerAccountsClosed',
              connectionId: state.connectionId,
              userId: state.userId,
              accountIds,
              closedAt: command.at,
            },
          ];
    }
    case 'PurgeAccounts':
      return state.status !== 'LINKED'
        ? []
        : [
            {
              type: 'BrokerAccountsPurged',
              connectionId: state.connectionId,
              userId: state.userId,
              accountIds: state.accounts.map((account) => account.accountId),
              purgedAt: command.at,
            },
          ];
    case 'RecordBalances':
      if (state.status === 'ABSENT')
        return refuse('BROKER_ACCOUNT_NOT_FOUND', 'This connection has no accounts');
      if (state.status === 'PURGED')
        return refuse('BROKER_ACCOUNTS_PURGED', 'The connection was purged; its accounts are gone');
      return balanceUpdates(state, command.balances);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function decideLink(
  command: Extract<AccountCommand, { type: 'LinkAccounts' }>,
  state: AccountsState,
): readonly AccountEvent[] {
  if (command.accounts.length === 0) refuse('NO_ACCOUNTS_TO_LINK', 'The broker reported no accounts to link');
  if (state.status === 'PURGED')
    refuse('BROKER_ACCOUNTS_PURGED', 'The connection was purged; link a new connection instead');
  if (state.status === 'LINKED' && state.userId !== command.userId)
    refuse('BROKER_ACCOUNT_OWNER_MISMATCH', 'These accounts are linked to another user');
  const known = state.status === 'LINKED' ? state.accounts.map((account) => account.accountId) : [];
  const fresh = command.accounts.filter((account) => !known.includes(account.accountId));
  const { connectionId, userId, broker, mode, at } = command;
  // Closed at the broker and listed again: the same account, open once more.
  const reopened =
    state.status === 'LINKED'
      ? idsWhere(
          state,
          'CLOSED',
          command.accounts.map((account) => account.accountId),
        )
      : [];
  const reopening: AccountEvent[] =
    reopened.length === 0
      ? []
      : [{ type: 'BrokerAccountsRestored', connectionId, userId, accountIds: reopened, restoredAt: at }];
  if (fresh.length === 0) return reopening;
  const linked: AccountEvent = {
    type: 'BrokerAccountsLinked',
    connectionId,
    userId,
    broker,
    mode,
    accounts: fresh.map(
      ({ accountId, externalAccountId, displayName, currency, accountType, virtualAccountId }) => ({
        accountId,
        externalAccountId,
        displayName,
        currency,
        ...(accountType && { accountType }),
        ...(virtualAccountId && { virtualAccountId }),
      }),
    ),
    linkedAt: at,
  };
  const balances = fresh.flatMap((account): AccountEvent[] => {
    const balance =
      account.balance ??
      (account.startingCash !== undefined ? startingBalance(account.startingCash, at) : undefined);
    return balance
      ? [
          {
            type: 'BrokerAccountBalanceUpdated',
            accountId: account.accountId,
            connectionId,
            userId,
            currency: account.currency,
            ...balance,
          },
        ]
      : [];
  });
  return [...reopening, linked, ...balances];
}

const startingBalance = (cash: Decimal, asOf: string) => ({ cash, buyingPower: cash, equity: cash, asOf });

function balanceUpdates(state: Present, balances: readonly ReportedBalance[]): readonly AccountEvent[] {
  return balances.flatMap((balance): AccountEvent[] => {
    const account = state.accounts.find(
      (candidate) => candidate.externalAccountId === balance.externalAccountId,
    );
    // Accounts the broker reports but nobody linked, reports older than what we have, and amounts in
    // another currency than the account's (they would bend its equity history) change nothing.
    if (
      !account ||
      account.status !== 'ACTIVE' ||
      balance.currency !== account.currency ||
      (account.balanceAsOf && account.balanceAsOf >= balance.asOf)
    )
      return [];
    const { cash, buyingPower, equity, asOf } = balance;
    return [
      {
        type: 'BrokerAccountBalanceUpdated',
        accountId: account.accountId,
        connectionId: state.connectionId,
        userId: state.userId,
        currency: account.currency,
        cash,
        buyingPower,
        equity,
        asOf,
      },
    ];
  });
}

export const brokerAccountDecider: Decider<AccountCommand, AccountEvent, AccountsState> = {
  initialState: { status: 'ABSENT' },
  evolve,
  decide,
};
