import type { EntityManager } from 'typeorm';
import { accountStatusAfter, type BrokerAccountEvent, type BrokerKind } from '@tradecore/contracts';
import { tableOf } from './tables';

export interface KnownAccount {
  readonly accountId: string;
  readonly userId: string;
  readonly connectionId: string;
  /** Decides where the account's orders go: virtual-broker for `virtual`, broker-connection otherwise. */
  readonly broker: BrokerKind;
  readonly virtualAccountId: string | null;
  readonly status: 'ACTIVE' | 'DELETED' | 'CLOSED';
  readonly equity: string | null;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

const table = (manager: EntityManager) => tableOf(manager, 'broker_accounts');

/** Which broker accounts exist and whose they are, as broker-account publishes it: the owner check is by user id. */
export async function projectBrokerAccountEvent(
  manager: EntityManager,
  event: BrokerAccountEvent,
  at: string,
): Promise<void> {
  const accounts = table(manager);
  switch (event.type) {
    case 'BrokerAccountsLinked': {
      const { userId, connectionId, broker, mode } = event.payload;
      for (const account of event.payload.accounts)
        await manager.query(
          `INSERT INTO ${accounts} (account_id, user_id, connection_id, broker, mode, virtual_account_id, status, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE', $7)
           ON CONFLICT (account_id) DO UPDATE SET status = 'ACTIVE', updated_at = $7`,
          [account.accountId, userId, connectionId, broker, mode, account.virtualAccountId ?? null, at],
        );
      return;
    }
    case 'BrokerAccountsDeleted':
    case 'BrokerAccountsRestored':
    case 'BrokerAccountsClosed':
      await manager.query(
        `UPDATE ${accounts} SET status = $2, updated_at = $3 WHERE account_id = ANY($1::uuid[])`,
        [event.payload.accountIds, accountStatusAfter[event.type], at],
      );
      return;
    case 'BrokerAccountsUnlinked':
    case 'BrokerAccountsPurged':
      await manager.query(`DELETE FROM ${accounts} WHERE account_id = ANY($1::uuid[])`, [
        event.payload.accountIds,
      ]);
      return;
    case 'BrokerAccountBalanceUpdated':
      // Balances arrive opened with automation's key for the owner (docs/privacy.md); one sealed
      // for no one (the owner is erased, or broker-account had no key of ours) leaves the last equity.
      if (!DECIMAL.test(event.payload.equity)) return;
      await manager.query(`UPDATE ${accounts} SET equity = $2, updated_at = $3 WHERE account_id = $1`, [
        event.payload.accountId,
        event.payload.equity,
        at,
      ]);
      return;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

const columns = `account_id AS "accountId", user_id AS "userId", connection_id AS "connectionId", broker,
  virtual_account_id AS "virtualAccountId", status, equity::text AS equity`;

export async function accountOfUser(
  manager: EntityManager,
  accountId: string,
  userId: string,
): Promise<KnownAccount | undefined> {
  const rows: KnownAccount[] = await manager.query(
    `SELECT ${columns} FROM ${table(manager)} WHERE account_id = $1 AND user_id = $2`,
    [accountId, userId],
  );
  return rows[0];
}

export async function accountById(
  manager: EntityManager,
  accountId: string,
): Promise<KnownAccount | undefined> {
  const rows: KnownAccount[] = await manager.query(
    `SELECT ${columns} FROM ${table(manager)} WHERE account_id = $1`,
    [accountId],
  );
  return rows[0];
}
