import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { EntityManager } from 'typeorm';
import type {
  CancelBrokerOrder,
  PlaceBrokerExitOrders,
  PlaceBrokerOrder,
  Reason,
} from '@tradecore/contracts';
import { DomainError, EventStore } from '@tradecore/eventing';
import { BrokerOrderStream } from '../../infrastructure/broker-order-stream';
import { CancelBrokerOrderCommand } from '../change-broker-order/cancel-broker-order.handler';
import { PlaceOrderRequestDto } from '@tradecore/order-api';
import { PlaceBrokerOrderCommand } from '../place-broker-order/place-broker-order.handler';
import { type ExitPair, PlaceExitOrdersCommand } from '../place-broker-order/place-exit-orders.handler';

/** A broker that did not answer: the order may have reached it, so the command is tried again with the same id. */
const UNANSWERED = new Set(['BROKER_TIMEOUT', 'BROKER_UNAVAILABLE']);

const codeOf = (error: HttpException) => (error.getResponse() as { code?: string }).code;

/** A considered answer (a rule broken, a refusal by the broker), as opposed to a failure worth retrying. */
function refusalOf(error: unknown): Reason | undefined {
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  if (!(error instanceof HttpException) || UNANSWERED.has(codeOf(error) ?? '')) return undefined;
  const { code, message } = error.getResponse() as { code?: string; message?: string };
  return { code: code ?? 'ORDER_REFUSED_BY_BROKER', message: message ?? error.message };
}

/** The order as the route would take it, and what the route would refuse in it. */
function checked(payload: PlaceBrokerOrder['payload']) {
  const order = plainToInstance(PlaceOrderRequestDto, {
    orderId: payload.orderId,
    symbol: payload.symbol,
    side: payload.side,
    type: payload.kind,
    quantity: payload.quantity,
    limitPrice: payload.limitPrice ?? undefined,
    stopPrice: payload.stopPrice ?? undefined,
    timeInForce: payload.timeInForce,
  });
  const invalid = validateSync(order).flatMap((error) => Object.values(error.constraints ?? {}));
  return { order, invalid };
}

/**
 * Orders other services send through Kafka on an owner's behalf (an automation), taken down the
 * same path as `POST /accounts/{accountId}/orders`, whatever broker the account is at, and answered
 * by the order's events on broker-orders.events instead of a response. A refusal recorded on the
 * order is published by its stream; one before the order was recorded (an account that is not
 * connected, terms the route would answer 400) is published here, so the sender always learns the
 * outcome. A broker that did not answer is thrown, for the consumer to try again with the same
 * order id, which the broker never places twice.
 */
@Injectable()
export class BrokerOrderMessagesHandler {
  private readonly logger = new Logger('BrokerOrderMessages');
  private readonly connections: string;

  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(BrokerOrderStream) private readonly stream: BrokerOrderStream,
    @Inject(EventStore) private readonly store: EventStore,
  ) {
    this.connections = `"${store.schema}".connections`;
  }

  async place(payload: PlaceBrokerOrder['payload'], tx: EntityManager): Promise<void> {
    const { orderId, accountId, userId } = payload;
    const { order, invalid } = checked(payload);
    try {
      if (invalid.length > 0) throw new DomainError('VALIDATION_FAILED', invalid.join('; '));
      await this.commandBus.execute(new PlaceBrokerOrderCommand(accountId, userId, order));
    } catch (error) {
      const reason = refusalOf(error);
      if (!reason) throw error;
      const { state } = await this.stream.load(orderId);
      // Recorded: its refusal is published by the stream, or it is a redelivery (DUPLICATE_ORDER_ID).
      if (state.status !== 'ABSENT') return;
      await this.refuse(payload, reason, tx);
    }
  }

  /**
   * A take-profit and stop-loss pair goes to the broker as one OCO group; a single leg is a plain
   * order. Terms the route would refuse, or a refusal before either leg was recorded, reject both.
   */
  async placeExits(payload: PlaceBrokerExitOrders['payload'], tx: EntityManager): Promise<void> {
    const { takeProfit, stopLoss, groupId: _group, ...exit } = payload;
    const legs = [
      ...(takeProfit
        ? [
            {
              ...exit,
              orderId: takeProfit.orderId,
              kind: 'LIMIT' as const,
              limitPrice: takeProfit.limitPrice,
              stopPrice: null,
            },
          ]
        : []),
      ...(stopLoss
        ? [
            {
              ...exit,
              orderId: stopLoss.orderId,
              kind: 'STOP' as const,
              limitPrice: null,
              stopPrice: stopLoss.stopPrice,
            },
          ]
        : []),
    ];
    if (!takeProfit || !stopLoss) return legs.length === 1 ? this.place(legs[0], tx) : undefined;
    const invalid = legs.flatMap((leg) => checked(leg).invalid);
    try {
      if (invalid.length > 0) throw new DomainError('VALIDATION_FAILED', invalid.join('; '));
      await this.commandBus.execute(new PlaceExitOrdersCommand(payload as ExitPair));
    } catch (error) {
      const reason = refusalOf(error);
      if (!reason) throw error;
      for (const leg of legs)
        if ((await this.stream.load(leg.orderId)).state.status === 'ABSENT')
          await this.refuse(leg, reason, tx);
    }
  }

  /** Nothing to answer when the order is closed already: its end has been published. */
  async cancel({ orderId, accountId, userId }: CancelBrokerOrder['payload']): Promise<void> {
    try {
      await this.commandBus.execute(new CancelBrokerOrderCommand(accountId, orderId, userId));
    } catch (error) {
      const reason = refusalOf(error);
      if (!reason) throw error;
      this.logger.log(`order ${orderId} not cancelled: ${reason.code}`);
    }
  }

  private async refuse(
    { orderId, accountId, userId }: Pick<PlaceBrokerOrder['payload'], 'orderId' | 'accountId' | 'userId'>,
    reason: Reason,
    tx: EntityManager,
  ): Promise<void> {
    const [connection] = await tx.query<{ connection_id: string }[]>(
      `SELECT connection_id FROM ${this.connections} WHERE linked_account_ids @> jsonb_build_array($1::text)
       ORDER BY requested_at DESC LIMIT 1`,
      [accountId],
    );
    await this.store.send(
      [
        {
          topic: 'broker-orders.events',
          key: accountId,
          type: 'BrokerOrderRejected',
          schemaVersion: 1,
          payload: {
            orderId,
            accountId,
            // An account no connection here lists has none to name.
            connectionId: connection?.connection_id ?? '',
            userId,
            reason,
            rejectedAt: new Date().toISOString(),
          },
        },
      ],
      tx,
    );
  }
}
