import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Owner, Ownership } from '../domain/realtime-updates';
import { BrokerAccountEntity } from '../projections/broker-account.entity';
import { RealtimeOwnerEntity } from '../projections/realtime-owner.entity';

/**
 * The owner lookup of the real-time channel, built from events only. A paper account linked
 * before the lookup existed is still found through this service's own broker_accounts.
 */
@Injectable()
export class RealtimeOwners {
  async record(manager: EntityManager, ownerships: readonly Ownership[]): Promise<void> {
    if (ownerships.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(RealtimeOwnerEntity)
      .values([...ownerships])
      .orIgnore()
      .execute();
  }

  async userOf(manager: EntityManager, owner: Owner): Promise<string | undefined> {
    if ('userId' in owner) return owner.userId;
    const known = await manager.findOneBy(RealtimeOwnerEntity, { kind: owner.kind, id: owner.id });
    if (known) return known.userId;
    if (owner.kind === 'automation') return undefined;
    const linked = await manager.findOne(BrokerAccountEntity, {
      where: owner.kind === 'connection' ? { connectionId: owner.id } : { virtualAccountId: owner.id },
      select: { userId: true },
    });
    return linked?.userId;
  }

  async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(RealtimeOwnerEntity, { userId });
  }
}
