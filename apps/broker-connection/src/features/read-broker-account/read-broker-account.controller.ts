import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { DomainError, EventStore } from '@tradecore/eventing';
import { asHttpFailure } from '../../infrastructure/trading/broker-failure';
import { BrokerTrading } from '../../infrastructure/trading/broker-trading';
import { TradingAccounts } from '../../infrastructure/trading/trading-accounts';
import { ListBrokerOrdersDto } from './list-broker-orders.dto';

interface OrderRow {
  order_id: string;
  account_id: string;
  symbol: string;
  side: string;
  kind: string;
  time_in_force: string;
  quantity: number;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  filled_quantity: number;
  average_fill_price: string | null;
  rejection: { code: string; message: string } | null;
  history: unknown[];
  placed_at: Date;
  updated_at: Date;
}

const price = (value: string | null) => (value === null ? null : Number(value).toFixed(2));

/** The paper broker's order view, plus the stop price. */
const orderView = (row: OrderRow) => ({
  orderId: row.order_id,
  accountId: row.account_id,
  symbol: row.symbol,
  side: row.side,
  type: row.kind,
  timeInForce: row.time_in_force,
  quantity: row.quantity,
  limitPrice: price(row.limit_price),
  stopPrice: price(row.stop_price),
  status: row.status,
  filledQuantity: row.filled_quantity,
  averageFillPrice: price(row.average_fill_price),
  rejection: row.rejection && { code: row.rejection.code, reason: row.rejection.message },
  placedAt: row.placed_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Orders from the read model; balances and positions asked of the broker, which holds them. */
@ApiTags('broker orders')
@ApiBearerAuth()
@Controller('accounts/:accountId')
export class ReadBrokerAccountController {
  private readonly orders: string;

  constructor(
    @Inject(TradingAccounts) private readonly accounts: TradingAccounts,
    @Inject(BrokerTrading) private readonly trading: BrokerTrading,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
  ) {
    this.orders = `"${store.schema}".broker_orders`;
  }

  @Get()
  @ApiOperation({
    summary: 'Cash, buying power and equity of a connected broker account, as the broker has them now',
  })
  async balances(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const account = await this.accounts.owned(accountId, user.userId);
    const balances = await this.trading
      .of(account)
      .balances()
      .catch((error: unknown) => {
        throw asHttpFailure(error);
      });
    const { externalAccountId: _number, ...amounts } = balances;
    return { accountId, connectionId: account.connectionId, broker: account.broker, ...amounts };
  }

  @Get('positions')
  @ApiOperation({ summary: 'Positions as the broker holds them, marked at its current price' })
  async positions(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const account = await this.accounts.owned(accountId, user.userId);
    return this.trading
      .of(account)
      .positions()
      .catch((error: unknown) => {
        throw asHttpFailure(error);
      });
  }

  @Get('orders')
  async list(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Query() filter: ListBrokerOrdersDto,
  ) {
    await this.accounts.owned(accountId, user.userId);
    const statuses =
      filter.status === 'OPEN' ? ['NEW', 'PARTIALLY_FILLED'] : filter.status ? [filter.status] : null;
    const rows = await this.dataSource.query<OrderRow[]>(
      `SELECT * FROM ${this.orders} WHERE account_id = $1 AND ($2::text[] IS NULL OR status = ANY($2))
       ORDER BY placed_at DESC, order_id DESC LIMIT $3`,
      [accountId, statuses, filter.limit ?? 100],
    );
    return rows.map(orderView);
  }

  @Get('orders/:orderId')
  @ApiOperation({ summary: 'One order with its history: every change, each fill with quantity and price' })
  async one(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Param('orderId', ParseUUIDPipe) orderId: string,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    await this.accounts.owned(accountId, user.userId);
    const [row] = await this.dataSource.query<OrderRow[]>(
      `SELECT * FROM ${this.orders} WHERE account_id = $1 AND order_id = $2`,
      [accountId, orderId],
    );
    if (!row)
      throw new DomainError('ORDER_NOT_FOUND', `this account has no order ${orderId}; check the order id`);
    return { ...orderView(row), history: row.history };
  }
}
