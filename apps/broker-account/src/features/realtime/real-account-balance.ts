import type { EntityManager } from 'typeorm';
import { ERASED } from '@tradecore/eventing';
import type { FollowedEvent } from '../../domain/realtime-updates';
import { EquityPointEntity } from '../../projections/broker-account.entity';

/**
 * A real account's BrokerAccountBalanceUpdated reaches its topic sealed for automation, the one
 * service that reads it there, so this service cannot open that copy. It recorded the same figures
 * in its own equity history when it appended the event, at the event's `asOf`: the owner's channel
 * shows those. An equity point that is gone (the owner erased) leaves the update as it arrived.
 */
export async function withRecordedBalance(
  event: FollowedEvent,
  manager: EntityManager,
): Promise<FollowedEvent> {
  if (event.type !== 'BrokerAccountBalanceUpdated') return event;
  const { accountId, cash, buyingPower, equity, asOf } = event.payload;
  if (![cash, buyingPower, equity].includes(ERASED)) return event;
  const point = await manager.findOneBy(EquityPointEntity, { accountId, asOf: new Date(asOf) });
  if (!point) return event;
  const recorded = { cash: point.cash, buyingPower: point.buyingPower, equity: point.equity };
  return { ...event, payload: { ...event.payload, ...recorded } };
}
