import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { CommandResult, EventStore } from '@tradecore/eventing';
import { redisChannel } from '@tradecore/eventing/nest';
import { formatCents } from '../domain/money';
import type { PaperAccountState } from '../domain/paper-account.decider';
import type { PaperAccountEvent } from '../domain/paper-account.messages';
import { buyingPowerCents } from '../domain/paper-account.state';
import { positionView } from '../projections/views';
import { QuoteTicker } from './quote-ticker';

export interface LiveMessage {
  readonly event: 'order' | 'position' | 'account';
  readonly data: Record<string, unknown>;
}

type Listener = (userId: string, message: LiveMessage) => void;

/**
 * Order, position and cash changes for their owner. They go through Redis pub/sub so a socket
 * held by any replica hears about a fill decided by another.
 */
@Injectable()
export class LiveUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveUpdates.name);
  private readonly listeners = new Set<Listener>();
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
    @Inject(EventStore) store: EventStore,
  ) {
    // Per database and schema, so two deployments sharing a Redis never see each other's traders.
    this.channel = redisChannel(redis, `virtual-broker:${store.schema}:live`);
  }

  async onModuleInit(): Promise<void> {
    // A subscriber waits for its own first connection (the service client stops queueing once ready).
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('message', (_channel: string, raw: string) => {
      const { userId, messages } = JSON.parse(raw) as { userId: string; messages: LiveMessage[] };
      for (const message of messages) for (const listener of this.listeners) listener(userId, message);
    });
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Best effort: the write has committed, so a Redis hiccup costs a live message, never the order. */
  async publishResult(result: CommandResult<PaperAccountEvent, PaperAccountState>): Promise<void> {
    if (result.events.length === 0) return;
    const messages = liveMessagesOf(result, (symbol) => this.ticker.current(symbol));
    await this.redis
      .publish(this.channel, JSON.stringify({ userId: result.state.userId, messages }))
      .catch((error: Error) => this.logger.warn(`live update not published: ${error.message}`));
  }
}

function liveMessagesOf(
  result: CommandResult<PaperAccountEvent, PaperAccountState>,
  quoteOf: QuoteTicker['current'],
): LiveMessage[] {
  const { state } = result;
  const accountId = result.streamId;
  const messages: LiveMessage[] = [];
  const touched = new Set<string>();
  for (const event of result.events) {
    const order = orderChange(event);
    if (order) messages.push({ event: 'order', data: { accountId, ...order } });
    if (event.type === 'OrderFilled' || event.type === 'OrderPartiallyFilled') touched.add(event.symbol);
  }
  for (const symbol of touched) {
    const position = state.positions[symbol];
    if (position)
      messages.push({ event: 'position', data: { accountId, ...positionView(position, quoteOf(symbol)) } });
  }
  messages.push({
    event: 'account',
    data: {
      accountId,
      status: state.status,
      cash: formatCents(state.cashCents),
      reservedCash: formatCents(state.reservedCashCents),
      buyingPower: formatCents(buyingPowerCents(state)),
      version: result.version,
    },
  });
  return messages;
}

function orderChange(event: PaperAccountEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'OrderPlaced':
      return {
        orderId: event.orderId,
        change: event.type,
        status: 'NEW',
        symbol: event.symbol,
        side: event.side,
        at: event.placedAt,
      };
    case 'OrderTriggered':
      return {
        orderId: event.orderId,
        change: event.type,
        symbol: event.symbol,
        side: event.side,
        stopPrice: formatCents(event.stopPriceCents),
        at: event.triggeredAt,
      };
    case 'OrderPartiallyFilled':
    case 'OrderFilled':
      return {
        orderId: event.orderId,
        change: event.type,
        status: event.type === 'OrderFilled' ? 'FILLED' : 'PARTIALLY_FILLED',
        symbol: event.symbol,
        side: event.side,
        fill: { quantity: event.quantity, price: formatCents(event.priceCents) },
        filledQuantity: event.filledQuantity,
        remainingQuantity: event.remainingQuantity,
        realizedPnl: formatCents(event.realizedPnlCents),
        at: event.filledAt,
      };
    case 'OrderReplaced':
      return {
        orderId: event.orderId,
        change: event.type,
        status: event.status,
        symbol: event.symbol,
        side: event.side,
        quantity: event.quantity,
        limitPrice: event.limitPriceCents === null ? null : formatCents(event.limitPriceCents),
        stopPrice: event.stopPriceCents === null ? null : formatCents(event.stopPriceCents),
        timeInForce: event.timeInForce,
        at: event.replacedAt,
      };
    case 'OrderCancelled':
      return {
        orderId: event.orderId,
        change: event.type,
        status: 'CANCELLED',
        symbol: event.symbol,
        reason: event.reason,
        at: event.cancelledAt,
      };
    case 'OrderExpired':
      return {
        orderId: event.orderId,
        change: event.type,
        status: 'EXPIRED',
        symbol: event.symbol,
        at: event.expiredAt,
      };
    case 'OrderRejected':
      return {
        orderId: event.orderId,
        change: event.type,
        status: 'REJECTED',
        symbol: event.symbol,
        reason: event.code,
        at: event.rejectedAt,
      };
    default:
      return undefined;
  }
}
