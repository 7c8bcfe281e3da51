import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { trimmedLowercase } from '../register-user/register-user.dto';

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'ada@example.org' })
  @IsOptional()
  @trimmedLowercase
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'Countess of Lovelace' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100, { message: 'displayName must be between 1 and 100 characters long' })
  displayName?: string;
}
