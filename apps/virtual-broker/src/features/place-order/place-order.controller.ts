import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { PlaceOrderRequestDto } from '@tradecore/order-api';
import { OrderAccepted, PlaceOrderCommand } from './place-order.handler';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('accounts/:accountId/orders')
export class PlaceOrderController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Place a market or limit order',
    description:
      'Fills at once as far as the current quote crosses; the rest rests until a later quote crosses it. ' +
      'Refusals answer 422 with a code (INSUFFICIENT_BUYING_POWER, SHORT_SELLING_NOT_SUPPORTED, ' +
      'SHARES_COMMITTED_TO_OPEN_ORDERS, UNKNOWN_SYMBOL, …); the first three also appear in the order history as REJECTED.',
  })
  place(
    @Param('accountId') accountId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() order: PlaceOrderRequestDto,
  ): Promise<OrderAccepted> {
    return this.commandBus.execute(new PlaceOrderCommand(accountId, user.userId, order));
  }
}
