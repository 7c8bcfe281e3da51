import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { EmailField } from '../register-user/register-user.dto';

export class LogInDto extends EmailField {
  // Not the strength policy: an old password that predates it must still be checked, not refused as input.
  @ApiProperty({ example: 'correct horse 42' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class TokenPairDto {
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'RS256 JWT; send as "Authorization: Bearer <token>"' }) accessToken!: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty({ description: 'Opaque; single use — each refresh returns a new one' }) refreshToken!: string;
  @ApiProperty() refreshExpiresIn!: number;
}
