import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { DlqMessageStatus } from '../../persistence/dlq-message.entity';

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
  @Matches(/^\d+$/, { each: true, message: 'each id must be a DLQ message id (a number)' })
  ids?: string[];

  @IsOptional()
  @IsString()
  topic?: string;

  @IsOptional()
  @IsBoolean()
  all?: boolean;
}
