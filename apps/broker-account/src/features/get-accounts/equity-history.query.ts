import type { DataSource } from 'typeorm';
import { EquityPointEntity } from '../../projections/broker-account.entity';
import { PaperEquityPointEntity, PaperLedgerEntity } from '../../projections/paper-ledger.entity';
import type { EquityPointDto } from './broker-account-view.dto';

const UNITS = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;

/** `15m`, `1h`, `1d`, `1w`: the bucket width of a downsampled history. */
export const INTERVAL_PATTERN = /^([1-9]\d{0,2})([mhdw])$/;

export const intervalOf = (text: string): string => {
  const [, count, unit] = INTERVAL_PATTERN.exec(text) ?? [];
  return `${count} ${UNITS[unit as keyof typeof UNITS]}`;
};

export interface EquityHistoryRequest {
  readonly accountId: string;
  readonly virtualAccountId: string | null;
  readonly from?: string;
  readonly to?: string;
  readonly interval?: string;
  readonly limit: number;
}

interface PointRow {
  readonly as_of: Date;
  readonly equity: string;
  readonly cash: string;
  readonly buying_power: string;
}

/**
 * A point on every change, in time order. With an interval, one point per bucket (aligned to
 * 2000-01-01 UTC): the last of the bucket, stamped with the bucket's start, so a year reads
 * as a few hundred points. A followed paper account's history is its ledger's.
 */
export async function equityHistory(
  dataSource: DataSource,
  request: EquityHistoryRequest,
): Promise<EquityPointDto[]> {
  const paper =
    request.virtualAccountId !== null &&
    (await dataSource
      .getRepository(PaperLedgerEntity)
      .existsBy({ virtualAccountId: request.virtualAccountId }));
  const source = paper
    ? {
        table: dataSource.getRepository(PaperEquityPointEntity).metadata.tablePath,
        key: 'virtual_account_id',
        id: request.virtualAccountId,
      }
    : {
        table: dataSource.getRepository(EquityPointEntity).metadata.tablePath,
        key: 'account_id',
        id: request.accountId,
      };
  const parameters: unknown[] = [source.id, request.from ?? null, request.to ?? null, request.limit];
  const range = `${source.key} = $1 AND ($2::timestamptz IS NULL OR as_of >= $2) AND ($3::timestamptz IS NULL OR as_of <= $3)`;
  const sql = request.interval
    ? `SELECT * FROM (
         SELECT DISTINCT ON (bucket) date_bin($5::interval, as_of, TIMESTAMPTZ '2000-01-01Z') AS bucket,
                as_of, equity, cash, buying_power
         FROM ${source.table} WHERE ${range} ORDER BY bucket, as_of DESC) AS buckets
       ORDER BY bucket LIMIT $4`
    : `SELECT as_of, equity, cash, buying_power FROM ${source.table} WHERE ${range} ORDER BY as_of LIMIT $4`;
  if (request.interval) parameters.push(intervalOf(request.interval));
  const rows: (PointRow & { bucket?: Date })[] = await dataSource.query(sql, parameters);
  return rows.map((row) => ({
    asOf: (row.bucket ?? row.as_of).toISOString(),
    equity: row.equity,
    cash: row.cash,
    buyingPower: row.buying_power,
  }));
}
