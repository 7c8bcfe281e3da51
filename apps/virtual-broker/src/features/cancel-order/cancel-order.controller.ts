import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { CancelOrderCommand, OrderCancellation } from './cancel-order.handler';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('accounts/:accountId/orders/:orderId/cancel')
export class CancelOrderController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an open order',
    description:
      'Releases what the order reserved. 404 ORDER_NOT_FOUND / ACCOUNT_NOT_FOUND, 422 ORDER_NOT_OPEN.',
  })
  cancel(
    @Param('accountId') accountId: string,
    @Param('orderId') orderId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<OrderCancellation> {
    return this.commandBus.execute(new CancelOrderCommand(accountId, orderId, user.userId));
  }
}
