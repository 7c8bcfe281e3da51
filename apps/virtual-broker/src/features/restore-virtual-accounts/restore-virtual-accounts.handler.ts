import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { RestoreVirtualAccounts } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { sendIntegrationEvent } from '../../infrastructure/integration-events';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { accountsOfConnection, SagaCommand } from '../saga-commands/saga-command';

export class RestoreVirtualAccountsCommand extends SagaCommand<
  RestoreVirtualAccounts['payload'],
  Record<string, never>
> {}

/** Restoring what was never provisioned cannot bring it back, so those ids fail with ACCOUNT_NOT_FOUND. */
@CommandHandler(RestoreVirtualAccountsCommand)
export class RestoreVirtualAccountsHandler implements ICommandHandler<RestoreVirtualAccountsCommand> {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async execute({ payload, manager }: RestoreVirtualAccountsCommand): Promise<Record<string, never>> {
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
