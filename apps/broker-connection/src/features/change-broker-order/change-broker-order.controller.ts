import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { ReplaceOrderRequestDto } from '@tradecore/order-api';
import { CancelBrokerOrderCommand } from './cancel-broker-order.handler';
import { ReplaceBrokerOrderCommand } from './replace-broker-order.handler';

@ApiTags('broker orders')
@ApiBearerAuth()
@Controller('accounts/:accountId/orders/:orderId')
export class ChangeBrokerOrderController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an open order',
    description: '404 ORDER_NOT_FOUND / ACCOUNT_NOT_FOUND, 422 ORDER_NOT_OPEN.',
  })
  cancel(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Param('orderId', ParseUUIDPipe) orderId: string,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.commandBus.execute(new CancelBrokerOrderCommand(accountId, orderId, user.userId));
  }

  @Patch()
  @ApiOperation({
    summary: 'Replace an open order: new quantity, limit or stop price, or time in force',
    description:
      '422 ORDER_NOT_OPEN, NOTHING_TO_REPLACE, INVALID_LIMIT_PRICE, INVALID_STOP_PRICE, ORDER_REFUSED_BY_BROKER.',
  })
  replace(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Param('orderId', ParseUUIDPipe) orderId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() changes: ReplaceOrderRequestDto,
  ) {
    return this.commandBus.execute(new ReplaceBrokerOrderCommand(accountId, orderId, user.userId, changes));
  }
}
