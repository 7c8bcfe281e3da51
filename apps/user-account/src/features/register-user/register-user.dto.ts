import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';

export const trimmedLowercase = Transform(({ value }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value,
);
const trimmed = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Length over composition (NIST 800-63B), plus one non-letter so a single dictionary word fails. */
export function StrongPassword(): PropertyDecorator {
  const decorators = [
    IsString(),
    Length(12, 128, { message: '$property must be between 12 and 128 characters long' }),
    Matches(/[^A-Za-z]/, { message: '$property must contain at least one digit or symbol' }),
    Matches(/[A-Za-z]/, { message: '$property must contain at least one letter' }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class EmailField {
  @ApiProperty({ example: 'ada@example.com' })
  @trimmedLowercase
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;
}

export class RegisterUserDto extends EmailField {
  @ApiProperty({ minLength: 12, maxLength: 128, example: 'correct horse 42' })
  @StrongPassword()
  password!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Ada Lovelace' })
  @trimmed
  @IsString()
  @Length(1, 100, { message: 'displayName must be between 1 and 100 characters long' })
  displayName!: string;
}

export class RegisteredDto {
  @ApiProperty() userId!: string;
  @ApiProperty() version!: number;
}
