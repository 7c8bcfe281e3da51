import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { DomainError, EventStore } from '@tradecore/eventing';

interface PositionRow {
  readonly symbol: string;
  readonly quantity: number;
  readonly last_fill_price: string;
  readonly as_of: Date;
}

@ApiTags('broker-accounts')
@ApiBearerAuth()
@Controller('broker-accounts/:id/positions')
export class BrokerPositionsController {
  private readonly schema: string;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) store: EventStore,
  ) {
    this.schema = `"${store.schema}"`;
  }

  @Get()
  @ApiOperation({
    summary: 'Positions of a real broker account, as its fills left them (paper positions: GET /portfolio)',
  })
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) accountId: string) {
    const [account] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM ${this.schema}.broker_accounts WHERE account_id = $1 AND user_id = $2 AND status = 'ACTIVE'`,
      [accountId, user.userId],
    );
    if (!account) throw new DomainError('ACCOUNT_NOT_FOUND', 'No such broker account');
    const rows = await this.dataSource.query<PositionRow[]>(
      `SELECT symbol, quantity, last_fill_price, as_of FROM ${this.schema}.broker_positions
       WHERE account_id = $1 AND quantity <> 0 ORDER BY symbol`,
      [accountId],
    );
    return rows.map((row) => ({
      symbol: row.symbol,
      quantity: row.quantity,
      lastFillPrice: Number(row.last_fill_price).toFixed(2),
      asOf: row.as_of.toISOString(),
    }));
  }
}
