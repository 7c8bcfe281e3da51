import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BrokerConnectionEvent, brokerConnectionEventTypes } from '@tradecore/contracts';
import type { Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { AccountStream } from '../../infrastructure/account-stream';
import { followAccountChanges, purgeAccounts, recordBalances } from './connection-events.handlers';

/** The connection events that change accounts; the others pass by without a transaction. */
export const FOLLOWED_CONNECTION_EVENTS: readonly BrokerConnectionEvent['type'][] = [
  'BrokerAccountBalancesReported',
  'BrokerAccountsChanged',
  'BrokerConnectionPurged',
];

/**
 * Follows the connections: balances the broker reported become equity history; accounts opened at
 * the broker are linked, closed ones marked CLOSED; a purged connection erases its accounts.
 */
@ConsumesTopic('broker-connection.events', {
  group: 'broker-account.connection-events',
  knownTypes: brokerConnectionEventTypes,
  handles: FOLLOWED_CONNECTION_EVENTS,
})
export class ConnectionEventsConsumer implements TopicConsumer {
  constructor(@Inject(AccountStream) private readonly accounts: AccountStream) {}

  async handle(envelope: Received<'broker-connection.events'>, tx: EntityManager): Promise<void> {
    if (envelope.type === 'BrokerAccountBalancesReported')
      await recordBalances(this.accounts, envelope.payload, tx);
    if (envelope.type === 'BrokerAccountsChanged')
      await followAccountChanges(this.accounts, envelope.payload, tx);
    if (envelope.type === 'BrokerConnectionPurged') await purgeAccounts(this.accounts, envelope.payload, tx);
  }
}
