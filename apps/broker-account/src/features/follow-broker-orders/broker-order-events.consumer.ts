import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BrokerOrderEvent, brokerOrderEventTypes } from '@tradecore/contracts';
import { EventStore, type Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { UserUpdateLog } from '../../infrastructure/user-update-log';

interface PositionRow {
  readonly quantity: number;
  readonly last_fill_price: string;
  readonly as_of: Date;
}

export const FOLLOWED_BROKER_ORDER_EVENTS: readonly BrokerOrderEvent['type'][] = [
  'BrokerOrderPartiallyFilled',
  'BrokerOrderFilled',
];

/**
 * A fill on a real broker account moves its position: to the quantity the broker reported after
 * it, or by the fill itself when the broker did not say (a fill found by reconciliation). The
 * balances follow from BrokerAccountBalancesReported, which broker-connection sends after each fill.
 * The position as it now stands goes to the owner's real-time channel, as for a paper account.
 */
@ConsumesTopic('broker-orders.events', {
  group: 'broker-account.broker-orders',
  knownTypes: brokerOrderEventTypes,
  handles: FOLLOWED_BROKER_ORDER_EVENTS,
})
export class BrokerOrderEventsConsumer implements TopicConsumer {
  private readonly positions: string;

  constructor(
    @Inject(EventStore) store: EventStore,
    @Inject(UserUpdateLog) private readonly log: UserUpdateLog,
  ) {
    this.positions = `"${store.schema}".broker_positions`;
  }

  async handle(envelope: Received<'broker-orders.events'>, tx: EntityManager): Promise<void> {
    if (envelope.type !== 'BrokerOrderFilled' && envelope.type !== 'BrokerOrderPartiallyFilled') return;
    const fill = envelope.payload;
    const change = fill.side === 'BUY' ? fill.quantity : -fill.quantity;
    const [position] = await tx.query<PositionRow[]>(
      `INSERT INTO ${this.positions} (account_id, symbol, quantity, last_fill_price, as_of)
       VALUES ($1, $2, coalesce($3::int, $4::int), $5, $6)
       ON CONFLICT (account_id, symbol) DO UPDATE SET
         quantity = coalesce($3::int, ${this.positions}.quantity + $4::int),
         last_fill_price = $5,
         as_of = greatest(${this.positions}.as_of, $6)
       RETURNING quantity, last_fill_price, as_of`,
      [fill.accountId, fill.symbol, fill.positionQuantity, change, fill.price, fill.filledAt],
    );
    // Inside the inbox transaction, as the paper ledger's: a Redis failure retries the fill, the key logs it once.
    await this.log.append(fill.userId, `${envelope.messageId}:position:${fill.accountId}`, {
      type: 'position',
      at: position.as_of.toISOString(),
      payload: {
        accountId: fill.accountId,
        symbol: fill.symbol,
        quantity: position.quantity,
        lastFillPrice: Number(position.last_fill_price).toFixed(2),
      },
    });
  }
}
