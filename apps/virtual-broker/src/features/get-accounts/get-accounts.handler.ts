import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { formatCents } from '../../domain/money';
import { valuePortfolio } from '../../domain/positions';
import { QuoteTicker } from '../../infrastructure/quote-ticker';
import { AccountRow, ReadModel } from '../../projections/read-model';

export type AccountView = ReturnType<typeof accountSummary> & {
  readonly marketValue: string;
  readonly unrealizedPnl: string;
  readonly equity: string;
};

export class GetAccountsQuery extends Query<AccountView[]> {
  constructor(
    readonly userId: string,
    readonly accountId?: string,
  ) {
    super();
  }
}

/** Cash and P&L straight from the read model; unrealized P&L and equity at the current quotes. */
@QueryHandler(GetAccountsQuery)
export class GetAccountsHandler implements IQueryHandler<GetAccountsQuery> {
  constructor(
    @Inject(ReadModel) private readonly readModel: ReadModel,
    @Inject(QuoteTicker) private readonly ticker: QuoteTicker,
  ) {}

  async execute({ userId, accountId }: GetAccountsQuery): Promise<AccountView[]> {
    const rows = accountId
      ? [await this.readModel.ownedAccount(accountId, userId)]
      : await this.readModel.accountsOf(userId);
    return Promise.all(rows.map((row) => this.view(row)));
  }

  private async view(row: AccountRow): Promise<AccountView> {
    const positions = await this.readModel.positions(row.account_id);
    const marks = Object.fromEntries(
      positions.flatMap((position) => {
        const quote = this.ticker.current(position.symbol);
        return quote ? [[position.symbol, quote]] : [];
      }),
    );
    const valuation = valuePortfolio(
      Object.fromEntries(positions.map((position) => [position.symbol, position])),
      marks,
    );
    return {
      ...accountSummary(row),
      marketValue: formatCents(valuation.marketValueCents),
      unrealizedPnl: formatCents(valuation.unrealizedPnlCents),
      equity: formatCents(Number(row.cash_cents) + valuation.marketValueCents),
    };
  }
}

export function accountSummary(row: AccountRow) {
  const cash = Number(row.cash_cents);
  const reserved = Number(row.reserved_cash_cents);
  return {
    accountId: row.account_id,
    connectionId: row.connection_id,
    currency: row.currency,
    status: row.status,
    startingCash: formatCents(Number(row.starting_cash_cents)),
    cash: formatCents(cash),
    reservedCash: formatCents(reserved),
    buyingPower: formatCents(cash - reserved),
    realizedPnl: formatCents(Number(row.realized_pnl_cents)),
    version: row.version,
    provisionedAt: row.provisioned_at.toISOString(),
  };
}
