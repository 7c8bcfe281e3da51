import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { SagaStatus } from '../../engine/saga-definition';

const STATUSES: SagaStatus[] = [
  'QUEUED',
  'RUNNING',
  'COMPLETED',
  'COMPENSATING',
  'COMPENSATED',
  'FAILED',
  'ABORTED',
];
const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListSagasQuery {
  @IsOptional()
  @IsString()
  type?: string;

  @IsOptional()
  @IsIn(STATUSES)
  status?: SagaStatus;

  @IsOptional()
  @IsString()
  aggregateId?: string;

  /** Only sagas started at least this long ago. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  olderThanMs?: number;

  /** Only unfinished sagas without progress for `stuckAfterMs` (default SAGA_STUCK_AFTER_MS). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  stuck?: boolean;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  stuckAfterMs?: number;

  /** Only sagas that had to re-send a step at least once. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  retrying?: boolean;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class OperatorActionDto {
  @IsString()
  @Length(1, 500)
  reason!: string;
}
