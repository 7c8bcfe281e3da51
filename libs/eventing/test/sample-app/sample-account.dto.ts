import { IsInt, IsString, Length, Min } from 'class-validator';

export class OpenAccountDto {
  @IsString()
  @Length(1, 80)
  owner!: string;
}

export class DepositDto {
  @IsInt()
  @Min(1)
  amount!: number;

  @IsInt()
  @Min(0)
  expectedVersion!: number;
}
