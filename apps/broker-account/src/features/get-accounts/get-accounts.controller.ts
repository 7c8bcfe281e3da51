import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource, In } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { DomainError } from '@tradecore/eventing';
import { ValidationFailedException } from '@tradecore/eventing/nest';
import { latestMarks, valuedAt } from '../../infrastructure/latest-marks';
import { BrokerAccountEntity } from '../../projections/broker-account.entity';
import { PaperLedgerEntity } from '../../projections/paper-ledger.entity';
import { BrokerAccountViewDto, EquityPointDto, toAccountView } from './broker-account-view.dto';
import { equityHistory } from './equity-history.query';
import { EquityHistoryQueryDto, ListAccountsQueryDto } from './get-accounts.dto';

/** Reads the read model directly and only the caller's rows: another user's account answers 404, like a missing one. */
@ApiTags('broker-accounts')
@ApiBearerAuth()
@Controller('broker-accounts')
export class GetAccountsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: [BrokerAccountViewDto] })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListAccountsQueryDto,
  ): Promise<BrokerAccountViewDto[]> {
    const rows = await this.dataSource.getRepository(BrokerAccountEntity).find({
      where: {
        userId: user.userId,
        status: query.includeDeleted ? undefined : In(['ACTIVE', 'CLOSED']),
        ...(query.connectionId && { connectionId: query.connectionId }),
      },
      order: { linkedAt: 'ASC', externalAccountId: 'ASC' },
    });
    return this.views(rows);
  }

  @Get(':id')
  @ApiOkResponse({ type: BrokerAccountViewDto })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) accountId: string,
  ): Promise<BrokerAccountViewDto> {
    const [view] = await this.views([await this.owned(accountId, user.userId)]);
    return view;
  }

  @Get(':id/equity-history')
  @ApiOkResponse({ type: [EquityPointDto] })
  async equityHistory(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) accountId: string,
    @Query() query: EquityHistoryQueryDto,
  ): Promise<EquityPointDto[]> {
    const account = await this.owned(accountId, user.userId);
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to))
      throw new ValidationFailedException([{ field: 'from', reason: 'must not be after to' }]);
    return equityHistory(this.dataSource, {
      accountId,
      virtualAccountId: account.virtualAccountId,
      from: query.from,
      to: query.to,
      interval: query.interval,
      limit: query.limit ?? 500,
    });
  }

  private async views(rows: readonly BrokerAccountEntity[]): Promise<BrokerAccountViewDto[]> {
    const virtualIds = rows.flatMap((row) => (row.virtualAccountId ? [row.virtualAccountId] : []));
    const ledgers = virtualIds.length
      ? await this.dataSource.getRepository(PaperLedgerEntity).findBy({ virtualAccountId: In(virtualIds) })
      : [];
    const marks = ledgers.length ? await latestMarks(this.dataSource) : {};
    const byId = new Map(
      ledgers.map((row) => [row.virtualAccountId, { ...row, ledger: valuedAt(row.ledger, marks) }]),
    );
    return rows.map((row) =>
      toAccountView(row, row.virtualAccountId ? byId.get(row.virtualAccountId) : undefined),
    );
  }

  private async owned(accountId: string, userId: string): Promise<BrokerAccountEntity> {
    const row = await this.dataSource.getRepository(BrokerAccountEntity).findOneBy({ accountId, userId });
    if (!row) throw new DomainError('BROKER_ACCOUNT_NOT_FOUND', 'No such broker account');
    return row;
  }
}
