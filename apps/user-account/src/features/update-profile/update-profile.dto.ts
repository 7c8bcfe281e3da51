import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { EmailAddress, StorableText, trimmedLowercase } from '../register-user/register-user.dto';

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'ada@example.org' })
  @IsOptional()
  @trimmedLowercase
  @EmailAddress()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'Countess of Lovelace' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @StorableText()
  @Length(1, 100, { message: 'displayName must be between 1 and 100 characters long' })
  displayName?: string;
}
