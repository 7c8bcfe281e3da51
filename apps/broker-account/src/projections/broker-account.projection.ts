import { In, type EntityManager } from 'typeorm';
import { accountStatusAfter } from '@tradecore/contracts';
import { ERASED, type Envelope, type InlineProjector, flatEvent } from '@tradecore/eventing';
import type { AccountEvent } from '../domain/broker-account.decider';
import { BrokerAccountEntity, EquityPointEntity } from './broker-account.entity';
import { PaperEquityPointEntity, PaperLedgerEntity } from './paper-ledger.entity';

/** What was followed of a paper account goes with it. */
async function erasePaperLedgers(manager: EntityManager, accountIds: readonly string[]): Promise<void> {
  const accounts = await manager
    .getRepository(BrokerAccountEntity)
    .findBy({ accountId: In([...accountIds]) });
  const virtualIds = accounts.flatMap((account) =>
    account.virtualAccountId ? [account.virtualAccountId] : [],
  );
  if (virtualIds.length === 0) return;
  await manager.getRepository(PaperEquityPointEntity).delete({ virtualAccountId: In(virtualIds) });
  await manager.getRepository(PaperLedgerEntity).delete({ virtualAccountId: In(virtualIds) });
}

/** Inline, so a saga step's reply is sent only once the owner can read what it changed. */
export const projectBrokerAccounts: InlineProjector = async (envelope: Envelope, manager: EntityManager) => {
  const event = flatEvent<AccountEvent>(envelope);
  const accounts = manager.getRepository(BrokerAccountEntity);
  const at = new Date(envelope.occurredAt);
  switch (event.type) {
    case 'BrokerAccountsLinked':
      await accounts.insert(
        event.accounts.map((account) => ({
          accountId: account.accountId,
          connectionId: event.connectionId,
          userId: event.userId,
          broker: event.broker,
          mode: event.mode,
          externalAccountId: account.externalAccountId,
          displayName: account.displayName,
          accountType: account.accountType ?? null,
          currency: account.currency,
          virtualAccountId: account.virtualAccountId ?? null,
          status: 'ACTIVE' as const,
          linkedAt: new Date(event.linkedAt),
          updatedAt: at,
        })),
      );
      return;
    case 'BrokerAccountsDeleted':
    case 'BrokerAccountsRestored':
    case 'BrokerAccountsClosed':
      await accounts.update(
        { accountId: In([...event.accountIds]) },
        { status: accountStatusAfter[event.type], updatedAt: at },
      );
      return;
    case 'BrokerAccountsUnlinked':
    case 'BrokerAccountsPurged':
      await erasePaperLedgers(manager, event.accountIds);
      await manager.getRepository(EquityPointEntity).delete({ accountId: In([...event.accountIds]) });
      await accounts.delete({ accountId: In([...event.accountIds]) });
      return;
    case 'BrokerAccountBalanceUpdated': {
      const { accountId, cash, buyingPower, equity } = event;
      // A rebuild after the owner's erasure: the balances were shredded and the account's purge follows.
      if ([cash, buyingPower, equity].includes(ERASED)) return;
      const asOf = new Date(event.asOf);
      await accounts.update({ accountId }, { cash, buyingPower, equity, balanceAsOf: asOf, updatedAt: at });
      await manager
        .getRepository(EquityPointEntity)
        .upsert({ accountId, asOf, cash, buyingPower, equity }, ['accountId', 'asOf']);
      return;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};
