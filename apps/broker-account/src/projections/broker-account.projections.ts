import { RealtimeOwnerEntity } from './realtime-owner.entity';
import type { ProjectionRegistration } from '@tradecore/eventing';
import { BrokerAccountEntity, EquityPointEntity } from './broker-account.entity';
import { projectBrokerAccounts } from './broker-account.projection';
import { MarketMarkEntity, PaperEquityPointEntity, PaperLedgerEntity } from './paper-ledger.entity';

/** Every table of the service, mapped by TypeORM. */
export const BROKER_ACCOUNT_ENTITIES = [
  BrokerAccountEntity,
  EquityPointEntity,
  PaperLedgerEntity,
  PaperEquityPointEntity,
  MarketMarkEntity,
  RealtimeOwnerEntity,
];

/**
 * The accounts are projected from this service's store; the paper ledgers follow
 * virtual-broker.events, so only that topic can rebuild them.
 */
export const BROKER_ACCOUNT_PROJECTIONS: readonly ProjectionRegistration[] = [
  {
    source: 'event-store',
    service: 'broker-account',
    name: 'broker-accounts',
    streamTypes: ['BrokerAccounts'],
    tables: [
      { name: 'broker_accounts', streamOf: 'connection_id::text' },
      {
        name: 'equity_history',
        streamOf: `(SELECT owner.connection_id::text FROM {schema}.broker_accounts owner
                    WHERE owner.account_id = equity_history.account_id)`,
      },
    ],
    // An account's purge erases what was followed of its paper account.
    touches: ['paper_ledgers', 'paper_equity_history'],
    entities: [
      BrokerAccountEntity,
      EquityPointEntity,
      PaperLedgerEntity,
      PaperEquityPointEntity,
      MarketMarkEntity,
    ],
    projector: () => projectBrokerAccounts,
  },
  {
    source: 'kafka',
    service: 'broker-account',
    name: 'paper-ledgers',
    tables: ['paper_ledgers', 'paper_equity_history', 'market_marks'],
    topic: 'virtual-broker.events',
    consumerGroup: 'broker-account.paper-accounts',
  },
];
