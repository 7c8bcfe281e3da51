import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VirtualBrokerEvent } from '@tradecore/contracts';
import { addressedUpdateOf, type Owner, type RealtimeUpdate } from '../../domain/realtime-updates';
import { RealtimeOwners } from '../../infrastructure/realtime-owners';
import type { ChangedLedger } from '../../infrastructure/paper-ledgers';
import { type LogEntry, UserUpdateLog } from '../../infrastructure/user-update-log';
import { paperBalanceOf, positionsOf } from '../get-accounts/paper-account-view';

/**
 * What a paper account's event tells its owner, in one append per owner: the event itself
 * (order, fill, account), then each changed ledger's position and balance as `GET
 * /broker-accounts` shows them right after it. One consumer does both, so an order's updates
 * take one transaction and one Redis round trip, and reach the channel in that order.
 */
@Injectable()
export class PaperAccountUpdates {
  constructor(
    @Inject(RealtimeOwners) private readonly owners: RealtimeOwners,
    @Inject(UserUpdateLog) private readonly log: UserUpdateLog,
  ) {}

  async publish(
    manager: EntityManager,
    envelope: { readonly messageId: string; readonly occurredAt: string },
    event: VirtualBrokerEvent,
    changed: readonly ChangedLedger[],
  ): Promise<void> {
    const byUser = new Map<string, LogEntry[]>();
    const add = (userId: string | undefined, entry: LogEntry) => {
      if (userId) byUser.set(userId, [...(byUser.get(userId) ?? []), entry]);
    };
    const addressed = addressedUpdateOf(event, envelope.occurredAt);
    // No owner known: nobody's channel gets it, rather than a guessed one.
    if (addressed)
      add(await this.userOf(manager, addressed.owner, changed), {
        messageKey: envelope.messageId,
        update: addressed.update,
      });
    const filledSymbol =
      event.type === 'OrderFilled' || event.type === 'OrderPartiallyFilled'
        ? event.payload.symbol
        : undefined;
    for (const ledger of changed) {
      const { virtualAccountId } = ledger;
      const userId = await this.userOf(manager, { kind: 'virtual-account', id: virtualAccountId }, changed);
      for (const [part, update] of updatesOf(ledger, filledSymbol))
        add(userId, { messageKey: `${envelope.messageId}:${part}:${virtualAccountId}`, update });
    }
    for (const [userId, entries] of byUser) await this.log.appendAll(userId, entries);
  }

  /** The owner the ledger's own statement found, else the lookup (accounts linked before it existed). */
  private async userOf(
    manager: EntityManager,
    owner: Owner,
    changed: readonly ChangedLedger[],
  ): Promise<string | undefined> {
    const known =
      'kind' in owner && owner.kind === 'virtual-account'
        ? changed.find(({ virtualAccountId }) => virtualAccountId === owner.id)?.userId
        : undefined;
    return known ?? (await this.owners.userOf(manager, owner));
  }
}

function updatesOf(row: ChangedLedger, filledSymbol: string | undefined): [string, RealtimeUpdate][] {
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
