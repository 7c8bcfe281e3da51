import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@tradecore/eventing';
import { formatCents } from '../../domain/money';
import { OrderRow, orderView, ReadModel } from '../../projections/read-model';
import type { ListOrdersDto } from './get-orders.dto';

type OrderView = ReturnType<typeof orderView>;

interface HistoryRow {
  version: number;
  type: string;
  status: string;
  fill_quantity: number | null;
  fill_price_cents: string | null;
  filled_quantity: number;
  remaining_quantity: number;
  reason: string | null;
  occurred_at: Date;
}

export type OrderWithHistory = OrderView & { readonly history: ReturnType<typeof historyEntry>[] };

export class GetOrdersQuery extends Query<OrderView[]> {
  constructor(
    readonly accountId: string,
    readonly userId: string,
    readonly filter: ListOrdersDto,
  ) {
    super();
  }
}

export class GetOrderQuery extends Query<OrderWithHistory> {
  constructor(
    readonly accountId: string,
    readonly orderId: string,
    readonly userId: string,
  ) {
    super();
  }
}

@QueryHandler(GetOrdersQuery)
export class GetOrdersHandler implements IQueryHandler<GetOrdersQuery> {
  constructor(@Inject(ReadModel) private readonly readModel: ReadModel) {}

  async execute({ accountId, userId, filter }: GetOrdersQuery): Promise<OrderView[]> {
    await this.readModel.ownedAccount(accountId, userId);
    const statuses =
      filter.status === 'OPEN' ? ['NEW', 'PARTIALLY_FILLED'] : filter.status ? [filter.status] : null;
    const rows = await this.readModel.query<OrderRow>(
      `SELECT * FROM ${this.readModel.table('orders')}
       WHERE account_id = $1 AND ($2::text[] IS NULL OR status = ANY($2)) ORDER BY placed_at DESC, order_id DESC LIMIT $3`,
      [accountId, statuses, filter.limit ?? 100],
    );
    return rows.map(orderView);
  }
}

/** The order with every state change it went through, oldest first. */
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(@Inject(ReadModel) private readonly readModel: ReadModel) {}

  async execute({ accountId, orderId, userId }: GetOrderQuery): Promise<OrderWithHistory> {
    await this.readModel.ownedAccount(accountId, userId);
    const [order] = await this.readModel.query<OrderRow>(
      `SELECT * FROM ${this.readModel.table('orders')} WHERE account_id = $1 AND order_id = $2`,
      [accountId, orderId],
    );
    if (!order) {
      throw new DomainError('ORDER_NOT_FOUND', `this account has no order ${orderId}; check the order id`);
    }
    const history = await this.readModel.query<HistoryRow>(
      `SELECT * FROM ${this.readModel.table('order_events')} WHERE account_id = $1 AND order_id = $2 ORDER BY version`,
      [accountId, orderId],
    );
    return { ...orderView(order), history: history.map(historyEntry) };
  }
}

function historyEntry(row: HistoryRow) {
  return {
    status: row.status,
    change: row.type,
    at: row.occurred_at.toISOString(),
    filledQuantity: row.filled_quantity,
    remainingQuantity: row.remaining_quantity,
    ...(row.fill_quantity !== null && {
      fill: { quantity: row.fill_quantity, price: formatCents(Number(row.fill_price_cents)) },
    }),
    ...(row.reason !== null && { reason: row.reason }),
  };
}
