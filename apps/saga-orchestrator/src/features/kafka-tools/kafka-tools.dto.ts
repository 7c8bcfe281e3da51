import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

class PartitionOffsetDto {
  @IsInt()
  @Min(0)
  partition!: number;

  @Matches(/^\d{1,19}$/, { message: 'offset must be a whole number of up to 19 digits' })
  offset!: string;
}

export class ResetOffsetsDto {
  @IsString()
  @MaxLength(249)
  topic!: string;

  @IsIn(['earliest', 'latest', 'timestamp', 'offsets'])
  to!: 'earliest' | 'latest' | 'timestamp' | 'offsets';

  @ValidateIf((dto: ResetOffsetsDto) => dto.to === 'timestamp')
  @IsISO8601({ strict: true }, { message: 'timestamp must be an ISO 8601 time when to is timestamp' })
  timestamp?: string;

  @ValidateIf((dto: ResetOffsetsDto) => dto.to === 'offsets')
  @IsArray({ message: 'offsets must list { partition, offset } when to is offsets' })
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PartitionOffsetDto)
  offsets?: PartitionOffsetDto[];

  /** Shows what would change without committing anything. */
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class BrowseTopicQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  partition?: number;

  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'offset must be a whole number of up to 19 digits' })
  offset?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @IsOptional()
  @Matches(/^\d{1,9}:\d{1,19}(,\d{1,9}:\d{1,19})*$/, {
    message: 'cursor must be the next value of a previous page',
  })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional() @IsString() @MaxLength(500) key?: string;
  @IsOptional() @IsString() @MaxLength(200) messageId?: string;
  @IsOptional() @IsString() @MaxLength(200) correlationId?: string;
  @IsOptional() @IsString() @MaxLength(200) type?: string;
  @IsOptional() @IsString() @MaxLength(500) text?: string;
}
