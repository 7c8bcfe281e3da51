import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RestoreVirtualAccounts } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { sendIntegrationEvent } from '../../infrastructure/integration-events';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { accountsOfConnection } from '../../infrastructure/accounts-of-connection';

/** Restoring what was never provisioned cannot bring it back, so those ids fail with ACCOUNT_NOT_FOUND. */
@Injectable()
export class RestoreVirtualAccountsHandler {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async execute(
    payload: RestoreVirtualAccounts['payload'],
    manager: EntityManager,
  ): Promise<Record<string, never>> {
    const restoredAt = new Date().toISOString();
    await accountsOfConnection(this.stream, payload.connectionId, payload.virtualAccountIds, manager);
    const restored: string[] = [];
    for (const accountId of payload.virtualAccountIds) {
      const result = await this.stream.execute(
        accountId,
        { type: 'RestorePaperAccount', restoredAt },
        { tx: manager },
      );
      if (result.events.length > 0) restored.push(accountId);
    }
    if (restored.length > 0) {
      await sendIntegrationEvent(
        this.store,
        payload.connectionId,
        {
          type: 'VirtualAccountsRestored',
          schemaVersion: 1,
          payload: { connectionId: payload.connectionId, virtualAccountIds: restored, restoredAt },
        },
        manager,
      );
    }
    return {};
  }
}
