import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RealtimeUpdate } from '../../domain/realtime-updates';
import { RealtimeOwners } from '../../infrastructure/realtime-owners';
import type { SavedLedger } from '../../infrastructure/paper-ledgers';
import { UserUpdateLog } from '../../infrastructure/user-update-log';
import { paperBalanceOf, positionsOf } from '../get-accounts/paper-account-view';

/**
 * A paper account's position and balance as this service's ledger has them right after an event
 * moved them, for the owner's channel: the same figures `GET /broker-accounts` shows.
 */
@Injectable()
export class PaperAccountUpdates {
  constructor(
    @Inject(RealtimeOwners) private readonly owners: RealtimeOwners,
    @Inject(UserUpdateLog) private readonly log: UserUpdateLog,
  ) {}

  async publish(
    manager: EntityManager,
    messageId: string,
    saved: SavedLedger,
    filledSymbol: string | undefined,
  ): Promise<void> {
    const { virtualAccountId } = saved;
    const userId = await this.owners.userOf(manager, { kind: 'virtual-account', id: virtualAccountId });
    if (!userId) return;
    for (const [part, update] of updatesOf(saved, filledSymbol))
      await this.log.append(userId, `${messageId}:${part}:${virtualAccountId}`, update);
  }
}

function updatesOf(row: SavedLedger, filledSymbol: string | undefined): [string, RealtimeUpdate][] {
  const at = row.asOf.toISOString();
  const { virtualAccountId } = row;
  const updates: [string, RealtimeUpdate][] = [];
  if (filledSymbol) {
    const position = positionsOf(row.ledger).find(({ symbol }) => symbol === filledSymbol);
    const payload = { virtualAccountId, ...(position ?? { symbol: filledSymbol, quantity: '0' }) };
    updates.push(['position', { type: 'position', at, payload }]);
  }
  const balance = paperBalanceOf(row);
  if (balance) updates.push(['balance', { type: 'balance', at, payload: { virtualAccountId, ...balance } }]);
  return updates;
}
