import { DomainError } from '@tradecore/eventing';
import type { DataSource } from 'typeorm';
import { formatCents, formatCentsRatio } from '../domain/money';
import type { Position } from '../domain/positions';

export interface AccountRow {
  account_id: string;
  user_id: string;
  connection_id: string;
  currency: string;
  status: string;
  starting_cash_cents: string;
  cash_cents: string;
  reserved_cash_cents: string;
  realized_pnl_cents: string;
  version: number;
  provisioned_at: Date;
  updated_at: Date;
}

export interface OrderRow {
  account_id: string;
  order_id: string;
  symbol: string;
  side: string;
  order_type: string;
  time_in_force: string;
  quantity: number;
  limit_price_cents: string | null;
  stop_price_cents: string | null;
  status: string;
  filled_quantity: number;
  filled_value_cents: string;
  reject_code: string | null;
  reject_reason: string | null;
  placed_at: Date;
  updated_at: Date;
}

/** Reads of the projected tables; a purged account or another user's is answered like a missing one. */
export class ReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  table(name: string): string {
    return `"${this.schema}".${name}`;
  }

  query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.query(sql, params);
  }

  async accountsOf(userId: string): Promise<AccountRow[]> {
    return this.query(
      `SELECT * FROM ${this.table('paper_accounts')} WHERE user_id = $1 AND status = 'ACTIVE' ORDER BY provisioned_at, account_id`,
      [userId],
    );
  }

  async ownedAccount(accountId: string, userId: string): Promise<AccountRow> {
    const [row] = await this.query<AccountRow>(
      `SELECT * FROM ${this.table('paper_accounts')} WHERE account_id = $1 AND user_id = $2 AND status = 'ACTIVE'`,
      [accountId, userId],
    );
    if (!row) {
      throw new DomainError(
        'ACCOUNT_NOT_FOUND',
        'no paper account with this id belongs to you; list yours with GET /api/virtual-broker/accounts',
      );
    }
    return row;
  }

  async positions(accountId: string): Promise<Position[]> {
    const rows = await this.query<{
      symbol: string;
      quantity: number;
      cost_basis_cents: string;
      realized_pnl_cents: string;
    }>(`SELECT * FROM ${this.table('positions')} WHERE account_id = $1 ORDER BY symbol`, [accountId]);
    return rows.map((row) => ({
      symbol: row.symbol,
      quantity: row.quantity,
      costBasisCents: Number(row.cost_basis_cents),
      realizedPnlCents: Number(row.realized_pnl_cents),
    }));
  }
}

export function orderView(row: OrderRow) {
  const filledValue = Number(row.filled_value_cents);
  return {
    orderId: row.order_id,
    accountId: row.account_id,
    symbol: row.symbol,
    side: row.side,
    type: row.order_type,
    timeInForce: row.time_in_force,
    quantity: row.quantity,
    limitPrice: row.limit_price_cents === null ? null : formatCents(Number(row.limit_price_cents)),
    stopPrice: row.stop_price_cents === null ? null : formatCents(Number(row.stop_price_cents)),
    status: row.status,
    filledQuantity: row.filled_quantity,
    averageFillPrice: row.filled_quantity === 0 ? null : formatCentsRatio(filledValue, row.filled_quantity),
    rejection: row.reject_code === null ? null : { code: row.reject_code, reason: row.reject_reason },
    placedAt: row.placed_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
