import { Body, Controller, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { PlaceOrderRequestDto } from '@tradecore/order-api';
import { OrderAccepted, PlaceBrokerOrderCommand } from './place-broker-order.handler';

/** The paper broker's route, for an account on a real broker (`/api/trading/accounts/…` reaches both). */
@ApiTags('broker orders')
@ApiBearerAuth()
@Controller('accounts/:accountId/orders')
export class PlaceBrokerOrderController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Place a market, limit, stop or stop-limit order on a connected broker account',
    description:
      "Refusals answer with the paper broker's codes: 422 INSUFFICIENT_BUYING_POWER, SHORT_SELLING_NOT_SUPPORTED, " +
      'UNKNOWN_SYMBOL, DUPLICATE_ORDER_ID, ORDER_REFUSED_BY_BROKER (kept in the history as REJECTED); ' +
      '429 BROKER_RATE_LIMITED with Retry-After; 502/504 when the broker failed (retry with the same orderId).',
  })
  place(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() order: PlaceOrderRequestDto,
  ): Promise<OrderAccepted> {
    return this.commandBus.execute(new PlaceBrokerOrderCommand(accountId, user.userId, order));
  }
}
