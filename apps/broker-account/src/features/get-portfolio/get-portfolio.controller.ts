import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '@tradecore/auth';
import { formatCents } from '../../domain/cents';
import { balanceOf, type PaperLedger } from '../../domain/paper-ledger';
import { latestMarks, valuedAt } from '../../infrastructure/latest-marks';
import { BrokerAccountEntity } from '../../projections/broker-account.entity';
import { PaperLedgerEntity } from '../../projections/paper-ledger.entity';
import { aggregatePositions } from './portfolio-positions';
import { PortfolioDto } from './portfolio.dto';

interface AccountRow {
  readonly account_id: string;
  readonly virtual_account_id: string | null;
  readonly connection_id: string;
  readonly broker: string;
  readonly mode: string;
  readonly display_name: string;
  readonly currency: string;
  readonly cash: string | null;
  readonly buying_power: string | null;
  readonly equity: string | null;
  readonly as_of: Date | null;
  readonly ledger: PaperLedger | null;
}

interface TotalRow {
  readonly currency: string;
  readonly cash: string;
  readonly buying_power: string;
  readonly equity: string;
}

/**
 * Only the caller's active accounts; the sums are PostgreSQL numerics, so nothing is rounded on
 * the way. Paper accounts are valued at the latest marks first, as their own view is.
 */
@ApiTags('portfolio')
@ApiBearerAuth()
@Controller('portfolio')
export class GetPortfolioController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: PortfolioDto })
  async get(@CurrentUser() user: AuthenticatedUser): Promise<PortfolioDto> {
    const accountsTable = this.dataSource.getRepository(BrokerAccountEntity).metadata.tablePath;
    const ledgersTable = this.dataSource.getRepository(PaperLedgerEntity).metadata.tablePath;
    const balances = `SELECT a.account_id, a.virtual_account_id, a.connection_id, a.broker, a.mode, a.display_name, a.currency, a.linked_at,
        a.external_account_id, p.ledger,
        CASE WHEN p.cash IS NULL THEN a.cash ELSE p.cash END AS cash,
        CASE WHEN p.cash IS NULL THEN a.buying_power ELSE p.buying_power END AS buying_power,
        CASE WHEN p.cash IS NULL THEN a.equity
             ELSE coalesce(($2::jsonb ->> a.virtual_account_id::text)::numeric, p.equity) END AS equity,
        CASE WHEN p.cash IS NULL THEN a.balance_as_of ELSE p.as_of END AS as_of
      FROM ${accountsTable} a
      LEFT JOIN ${ledgersTable} p ON p.virtual_account_id = a.virtual_account_id
      WHERE a.user_id = $1 AND a.status = 'ACTIVE'`;
    const marks = await latestMarks(this.dataSource);
    const stored: AccountRow[] = await this.dataSource.query(
      `${balances} ORDER BY a.currency, a.linked_at, a.external_account_id`,
      [user.userId, '{}'],
    );
    const accounts = stored.map((row) => (row.ledger ? valuedRow(row, valuedAt(row.ledger, marks)) : row));
    const paperEquities = Object.fromEntries(
      accounts.flatMap((row) =>
        row.virtual_account_id && row.ledger ? [[row.virtual_account_id, row.equity]] : [],
      ),
    );
    const totals: TotalRow[] = await this.dataSource.query(
      `SELECT currency, coalesce(sum(cash), 0)::text AS cash, coalesce(sum(buying_power), 0)::text AS buying_power,
              coalesce(sum(equity), 0)::text AS equity
       FROM (${balances}) AS balances GROUP BY currency ORDER BY currency`,
      [user.userId, JSON.stringify(paperEquities)],
    );
    const positions = aggregatePositions(
      accounts.flatMap((row) =>
        row.ledger ? [{ accountId: row.account_id, currency: row.currency, ledger: row.ledger }] : [],
      ),
    );
    return {
      currencies: totals.map((total) => ({
        currency: total.currency,
        cash: total.cash,
        buyingPower: total.buying_power,
        equity: total.equity,
        accounts: accounts
          .filter((row) => row.currency === total.currency)
          .map((row) => ({
            accountId: row.account_id,
            connectionId: row.connection_id,
            broker: row.broker,
            mode: row.mode,
            displayName: row.display_name,
            ...(row.as_of &&
              row.cash !== null && {
                cash: row.cash,
                buyingPower: row.buying_power ?? undefined,
                equity: row.equity ?? undefined,
                asOf: row.as_of.toISOString(),
              }),
          })),
        positions: positions.get(total.currency) ?? [],
      })),
    };
  }
}

function valuedRow(row: AccountRow, ledger: PaperLedger): AccountRow {
  const balance = balanceOf(ledger);
  return { ...row, ledger, equity: balance ? formatCents(balance.equityCents) : row.equity };
}
