import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CancelOpenOrders, CancelOpenOrdersResult } from '@tradecore/contracts';
import { EventStore } from '@tradecore/eventing';
import { sendIntegrationEvent } from '../../infrastructure/integration-events';
import { PaperAccountStream } from '../../infrastructure/paper-account-stream';
import { accountsOfConnection } from '../../infrastructure/accounts-of-connection';

/** Answers with the ids it cancelled; a redelivery finds nothing open and answers with none. */
@Injectable()
export class CancelOpenOrdersHandler {
  constructor(
    @Inject(PaperAccountStream) private readonly stream: PaperAccountStream,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async execute(
    payload: CancelOpenOrders['payload'],
    manager: EntityManager,
  ): Promise<CancelOpenOrdersResult> {
    const cancelledAt = new Date().toISOString();
    const accounts = await accountsOfConnection(
      this.stream,
      payload.connectionId,
      payload.virtualAccountIds,
      manager,
    );
    const cancelledOrderIds: string[] = [];
    for (const account of accounts) {
      const result = await this.stream.execute(
        account.accountId,
        { type: 'CancelOpenOrders', cancelledAt },
        { tx: manager },
      );
      for (const event of result.events)
        if (event.type === 'OrderCancelled') cancelledOrderIds.push(event.orderId);
    }
    await sendIntegrationEvent(
      this.store,
      payload.connectionId,
      {
        type: 'OpenOrdersCancelled',
        schemaVersion: 1,
        payload: {
          connectionId: payload.connectionId,
          virtualAccountIds: payload.virtualAccountIds,
          cancelledOrderIds,
          cancelledAt,
        },
      },
      manager,
    );
    return { cancelledOrderIds };
  }
}
