import { Controller, Get, Inject, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { ListOrdersDto } from './get-orders.dto';
import { GetOrderQuery, GetOrdersQuery, OrderWithHistory } from './get-orders.handler';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('accounts/:accountId/orders')
export class GetOrdersController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Orders of the account, newest first, optionally by status' })
  list(
    @Param('accountId') accountId: string,
    @QueryParams() filter: ListOrdersDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<unknown[]> {
    return this.queryBus.execute(new GetOrdersQuery(accountId, user.userId, filter));
  }

  @Get(':orderId')
  @ApiOperation({
    summary: 'One order with its history: every state change, each fill with price and quantity',
  })
  get(
    @Param('accountId') accountId: string,
    @Param('orderId') orderId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<OrderWithHistory> {
    return this.queryBus.execute(new GetOrderQuery(accountId, orderId, user.userId));
  }
}
