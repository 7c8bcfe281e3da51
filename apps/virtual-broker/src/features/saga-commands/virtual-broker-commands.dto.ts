import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';

class VirtualAccountDto {
  @IsString()
  @Length(1, 200)
  virtualAccountId!: string;

  @IsString()
  currency!: string;

  @IsString()
  startingCash!: string;
}

export class ProvisionVirtualAccountsDto {
  @IsString()
  @Length(1, 200)
  connectionId!: string;

  @IsString()
  @Length(1, 200)
  userId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => VirtualAccountDto)
  accounts!: VirtualAccountDto[];
}

export class VirtualAccountIdsDto {
  @IsString()
  @Length(1, 200)
  connectionId!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  virtualAccountIds!: string[];
}

/** Which order, on which account, for whom: what every order command from another service names. */
export class CancelOrderMessageDto {
  @IsUUID()
  orderId!: string;

  @IsString()
  @Length(1, 200)
  virtualAccountId!: string;

  @IsString()
  @Length(1, 200)
  userId!: string;
}

/** An order from another service; anything the paper broker's own rules refuse is answered as OrderRejected. */
export class PlaceOrderMessageDto extends CancelOrderMessageDto {
  @IsString()
  @Length(1, 20)
  symbol!: string;

  @IsIn(['buy', 'sell'])
  side!: 'buy' | 'sell';

  @IsIn(['market', 'limit', 'stop', 'stop_limit'])
  kind!: 'market' | 'limit' | 'stop' | 'stop_limit';

  @IsString()
  @Length(1, 20)
  quantity!: string;

  @IsOptional()
  @IsString()
  @Length(1, 20)
  limitPrice?: string;

  @IsOptional()
  @IsString()
  @Length(1, 20)
  stopPrice?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  ocoGroupId?: string;

  @IsIn(['day', 'gtc'])
  timeInForce!: 'day' | 'gtc';
}
