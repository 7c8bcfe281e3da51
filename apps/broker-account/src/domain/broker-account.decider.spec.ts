import { specFor } from '@tradecore/eventing/testing';
import { type AccountCommand, type AccountEvent, brokerAccountDecider } from './broker-account.decider';

const at = '2026-01-05T10:00:00.000Z';
const later = '2026-01-05T11:00:00.000Z';
const owner = { connectionId: 'c-1', userId: 'u-1' };
const account = {
  accountId: 'a-1',
  externalAccountId: 'PA-1',
  displayName: 'Paper',
  currency: 'USD',
  accountType: 'cash',
};
const balance = { cash: '100', buyingPower: '200', equity: '150', asOf: at };

const linked: AccountEvent = {
  type: 'BrokerAccountsLinked',
  ...owner,
  broker: 'alpaca',
  mode: 'paper',
  accounts: [account],
  linkedAt: at,
};
const deleted: AccountEvent = { type: 'BrokerAccountsDeleted', ...owner, accountIds: ['a-1'], deletedAt: at };
const restored: AccountEvent = {
  type: 'BrokerAccountsRestored',
  ...owner,
  accountIds: ['a-1'],
  restoredAt: at,
};
const purged: AccountEvent = { type: 'BrokerAccountsPurged', ...owner, accountIds: ['a-1'], purgedAt: at };
const balanceUpdated: AccountEvent = {
  type: 'BrokerAccountBalanceUpdated',
  accountId: 'a-1',
  ...owner,
  currency: 'USD',
  ...balance,
};

const given = specFor(brokerAccountDecider);

const link = (
  accounts: Extract<AccountCommand, { type: 'LinkAccounts' }>['accounts'] = [{ ...account, balance }],
  userId = 'u-1',
): AccountCommand => ({
  type: 'LinkAccounts',
  connectionId: 'c-1',
  userId,
  broker: 'alpaca',
  mode: 'paper',
  accounts,
  at,
});

describe('broker account decider', () => {
  describe('LinkAccounts', () => {
    it('links the accounts and records their first balance', () => {
      given().when(link()).then(linked, balanceUpdated);
    });
    it('opens a paper account at its starting cash', () => {
      given()
        .when(link([{ ...account, accountType: 'paper', startingCash: '5000', virtualAccountId: 'v-1' }]))
        .then(
          { ...linked, accounts: [{ ...account, accountType: 'paper', virtualAccountId: 'v-1' }] },
          { ...balanceUpdated, cash: '5000', buyingPower: '5000', equity: '5000' },
        );
    });
    it('links nothing twice', () => {
      given(linked).when(link()).then();
    });
    it('refuses an empty list', () => {
      given().when(link([])).thenThrows('NO_ACCOUNTS_TO_LINK');
    });
    it("refuses another user's connection", () => {
      given(linked)
        .when(link([{ ...account, accountId: 'a-2' }], 'u-2'))
        .thenThrows('BROKER_ACCOUNT_OWNER_MISMATCH');
    });
    it('refuses a purged connection', () => {
      given(linked, purged).when(link()).thenThrows('BROKER_ACCOUNTS_PURGED');
    });
  });

  describe('UnlinkAccounts', () => {
    const unlink: AccountCommand = { type: 'UnlinkAccounts', at };
    it('removes all the accounts for good', () => {
      given(linked)
        .when(unlink)
        .then({ type: 'BrokerAccountsUnlinked', ...owner, accountIds: ['a-1'], unlinkedAt: at });
    });
    it('is a no-op when nothing was linked, so a compensation can always run', () => {
      given().when(unlink).then();
    });
    it('is a no-op for accounts already unlinked', () => {
      given(linked, { type: 'BrokerAccountsUnlinked', ...owner, accountIds: ['a-1'], unlinkedAt: at })
        .when(unlink)
        .then();
    });
  });

  describe('DeleteAccounts', () => {
    it('soft-deletes all active accounts', () => {
      given(linked).when({ type: 'DeleteAccounts', at }).then(deleted);
    });
    it('is a no-op for deleted accounts', () => {
      given(linked, deleted).when({ type: 'DeleteAccounts', at }).then();
    });
    it('is a no-op for a connection without accounts', () => {
      given().when({ type: 'DeleteAccounts', at }).then();
    });
    it('refuses an account of another connection', () => {
      given(linked)
        .when({ type: 'DeleteAccounts', accountIds: ['a-9'], at })
        .thenThrows('BROKER_ACCOUNT_NOT_FOUND');
    });
  });

  describe('RestoreAccounts', () => {
    const restore: AccountCommand = { type: 'RestoreAccounts', accountIds: ['a-1'], at };
    it('restores deleted accounts', () => {
      given(linked, deleted).when(restore).then(restored);
    });
    it('is a no-op for active accounts', () => {
      given(linked).when(restore).then();
    });
    it('refuses unknown accounts', () => {
      given().when(restore).thenThrows('BROKER_ACCOUNT_NOT_FOUND');
    });
    it('refuses once the connection was purged', () => {
      given(linked, deleted, purged).when(restore).thenThrows('BROKER_ACCOUNTS_PURGED');
    });
  });

  describe('CloseAccounts (the broker no longer lists them)', () => {
    const close: AccountCommand = { type: 'CloseAccounts', accountIds: ['a-1'], at };
    const closed: AccountEvent = {
      type: 'BrokerAccountsClosed',
      ...owner,
      accountIds: ['a-1'],
      closedAt: at,
    };
    it('marks active accounts closed', () => {
      given(linked).when(close).then(closed);
    });
    it('is a no-op for closed, deleted and unknown accounts', () => {
      given(linked, closed).when(close).then();
      given(linked, deleted).when(close).then();
      given().when(close).then();
    });
    it('opens a closed account again when the broker lists it again', () => {
      given(linked, closed)
        .when(link())
        .then({ ...restored, restoredAt: at });
    });
    it('takes no balance for a closed account', () => {
      given(linked, closed)
        .when({
          type: 'RecordBalances',
          balances: [{ ...balance, externalAccountId: 'PA-1', currency: 'USD', asOf: later }],
        })
        .then();
    });
  });

  describe('PurgeAccounts', () => {
    it('erases every account of the connection', () => {
      given(linked, deleted).when({ type: 'PurgeAccounts', at }).then(purged);
    });
    it('is a no-op when nothing is left', () => {
      given(linked, purged).when({ type: 'PurgeAccounts', at }).then();
    });
  });

  describe('RecordBalances', () => {
    const report = (asOf: string, externalAccountId = 'PA-1', currency = 'USD'): AccountCommand => ({
      type: 'RecordBalances',
      balances: [{ externalAccountId, currency, cash: '1', buyingPower: '2', equity: '3', asOf }],
    });
    it('records a newer balance', () => {
      given(linked, balanceUpdated)
        .when(report(later))
        .then({ ...balanceUpdated, cash: '1', buyingPower: '2', equity: '3', asOf: later });
    });
    it('ignores stale reports, unlinked and deleted accounts', () => {
      given(linked, balanceUpdated).when(report(at)).then();
      given(linked).when(report(later, 'PA-OTHER')).then();
      given(linked, deleted).when(report(later)).then();
    });
    it('ignores a balance in another currency than its account’s', () => {
      given(linked, balanceUpdated)
        .when(report(later, 'PA-1', 'EUR'))
        .then();
    });
    it('refuses a connection without accounts', () => {
      given().when(report(later)).thenThrows('BROKER_ACCOUNT_NOT_FOUND');
    });
    it('refuses a purged connection', () => {
      given(linked, purged).when(report(later)).thenThrows('BROKER_ACCOUNTS_PURGED');
    });
  });
});
