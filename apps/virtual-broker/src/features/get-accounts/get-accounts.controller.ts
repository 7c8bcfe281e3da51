import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { AccountView, GetAccountsQuery } from './get-accounts.handler';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class GetAccountsController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Your paper accounts with cash, buying power and P&L' })
  list(@CurrentUser() user: AuthenticatedUser): Promise<AccountView[]> {
    return this.queryBus.execute(new GetAccountsQuery(user.userId));
  }

  @Get(':accountId')
  @ApiOperation({ summary: 'One of your paper accounts; 404 ACCOUNT_NOT_FOUND for any other id' })
  async get(
    @Param('accountId') accountId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AccountView> {
    const [account] = await this.queryBus.execute(new GetAccountsQuery(user.userId, accountId));
    return account;
  }
}
