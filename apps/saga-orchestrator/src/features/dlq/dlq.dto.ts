import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import type { DlqMessageStatus } from '../../persistence/dlq-message.entity';

const LARGEST_ID = BigInt('9223372036854775807');

/** Ids are PostgreSQL bigints: a larger number is refused here, as input, not by the database as a 500. */
export function isDlqMessageId(value: unknown): boolean {
  return (
    typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) >= 1 && BigInt(value) <= LARGEST_ID
  );
}

export const DLQ_ID_RULE = `a DLQ message id, an integer from 1 to ${LARGEST_ID}`;

export class ListDlqQuery {
  /** The original topic or its `.dlq`. */
  @IsOptional()
  @IsString()
  topic?: string;

  @IsOptional()
  @IsIn(['pending', 'replayed', 'discarded'])
  status?: DlqMessageStatus;

  @IsOptional()
  @IsString()
  consumerGroup?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ReplayDlqDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateBy(
    { name: 'isDlqMessageId', validator: { validate: isDlqMessageId } },
    { each: true, message: `each value in ids must be ${DLQ_ID_RULE}` },
  )
  ids?: string[];

  @IsOptional()
  @IsString()
  topic?: string;

  @IsOptional()
  @IsBoolean()
  all?: boolean;
}
