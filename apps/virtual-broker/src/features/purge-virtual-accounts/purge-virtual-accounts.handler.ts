import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PurgeVirtualAccounts } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { sendIntegrationEvent } from '../../infrastructure/integration-events';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { accountsOfConnection } from '../../infrastructure/accounts-of-connection';

/** Also the compensation of a provisioning that may never have happened, so unknown ids are already "purged". */
@Injectable()
export class PurgeVirtualAccountsHandler {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async execute(
    payload: PurgeVirtualAccounts['payload'],
    manager: EntityManager,
  ): Promise<Record<string, never>> {
    const purgedAt = new Date().toISOString();
    const accounts = await accountsOfConnection(
      this.stream,
      payload.connectionId,
      payload.virtualAccountIds,
      manager,
    );
    const purged: string[] = [];
    for (const account of accounts) {
      const result = await this.stream.execute(
        account.accountId,
        { type: 'PurgePaperAccount', purgedAt },
        { tx: manager },
      );
      if (result.events.length > 0) purged.push(account.accountId);
    }
    if (purged.length > 0) {
      await sendIntegrationEvent(
        this.store,
        payload.connectionId,
        {
          type: 'VirtualAccountsPurged',
          schemaVersion: 1,
          payload: { connectionId: payload.connectionId, virtualAccountIds: purged, purgedAt },
        },
        manager,
      );
    }
    return {};
  }
}
