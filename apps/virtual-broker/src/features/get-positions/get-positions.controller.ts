import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { GetPositionsQuery, PositionView } from './get-positions.handler';

@ApiTags('positions')
@ApiBearerAuth()
@Controller('accounts/:accountId/positions')
export class GetPositionsController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Positions with average price, realized P&L and unrealized P&L at the current quote',
  })
  list(
    @Param('accountId') accountId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PositionView[]> {
    return this.queryBus.execute(new GetPositionsQuery(accountId, user.userId));
  }
}
