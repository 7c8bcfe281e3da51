import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  minorUnitsOf,
  PAPER_CURRENCY_MINOR_UNITS,
  toMinorUnits,
  type ProvisionVirtualAccounts,
} from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { sendIntegrationEvent } from '../../infrastructure/integration-events';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';

/** One paper account per requested id; a redelivery finds them provisioned and decides nothing. */
@Injectable()
export class ProvisionVirtualAccountsHandler {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async execute(
    payload: ProvisionVirtualAccounts['payload'],
    manager: EntityManager,
  ): Promise<Record<string, never>> {
    const provisionedAt = new Date().toISOString();
    const fresh = [];
    for (const account of payload.accounts) {
      const result = await this.stream.execute(
        account.virtualAccountId,
        {
          type: 'ProvisionPaperAccount',
          accountId: account.virtualAccountId,
          userId: payload.userId,
          connectionId: payload.connectionId,
          currency: account.currency,
          startingCashCents:
            toMinorUnits(
              account.startingCash,
              minorUnitsOf(account.currency) ?? PAPER_CURRENCY_MINOR_UNITS,
            ) ?? Number.NaN,
          provisionedAt,
        },
        { tx: manager },
      );
      if (result.events.length > 0) fresh.push(account);
    }
    if (fresh.length > 0) {
      await sendIntegrationEvent(
        this.store,
        payload.connectionId,
        {
          type: 'VirtualAccountsProvisioned',
          schemaVersion: 1,
          payload: {
            connectionId: payload.connectionId,
            userId: payload.userId,
            accounts: fresh,
            provisionedAt,
          },
        },
        manager,
      );
    }
    return {};
  }
}
