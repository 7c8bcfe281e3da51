import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { StrongPassword } from '../register-user/register-user.dto';

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: 128 })
  @StrongPassword()
  newPassword!: string;
}
