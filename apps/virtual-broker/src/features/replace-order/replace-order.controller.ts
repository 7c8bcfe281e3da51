import { Body, Controller, Inject, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { ReplaceOrderRequestDto } from '@tradecore/order-api';
import { OrderReplacement, ReplaceOrderCommand } from './replace-order.handler';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('accounts/:accountId/orders/:orderId')
export class ReplaceOrderController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Patch()
  @ApiOperation({
    summary: 'Replace an open order: new quantity, limit or stop price, or time in force',
    description:
      'The order keeps its id, status and fills (history entry OrderReplaced), and its reservation moves to the new terms; ' +
      'new terms that cross the current quote fill at once. 404 ORDER_NOT_FOUND / ACCOUNT_NOT_FOUND; 422 ORDER_NOT_OPEN, ' +
      'NOTHING_TO_REPLACE, INVALID_QUANTITY, INVALID_LIMIT_PRICE, INVALID_STOP_PRICE, INSUFFICIENT_BUYING_POWER, ' +
      'SHORT_SELLING_NOT_SUPPORTED, SHARES_COMMITTED_TO_OPEN_ORDERS — the codes a real account answers. ' +
      'A refused replacement leaves the order as it was.',
  })
  replace(
    @Param('accountId') accountId: string,
    @Param('orderId') orderId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() changes: ReplaceOrderRequestDto,
  ): Promise<OrderReplacement> {
    return this.commandBus.execute(new ReplaceOrderCommand(accountId, orderId, user.userId, changes));
  }
}
