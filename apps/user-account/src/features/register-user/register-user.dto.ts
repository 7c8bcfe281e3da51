import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { isEmail, IsString, Length, Matches, MaxLength, ValidateBy } from 'class-validator';

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

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const brokenText = (value: string) => value.includes('\u0000') || LONE_SURROGATE.test(value);

/** PostgreSQL text refuses NUL, and an unpaired surrogate is not text (the email validator throws on it): a 400, not a 500. */
export const StorableText = () =>
  ValidateBy({
    name: 'storableText',
    validator: {
      validate: (value) => typeof value !== 'string' || !brokenText(value),
      defaultMessage: () => '$property must not contain NUL characters or broken Unicode',
    },
  });

export const EmailAddress = () =>
  ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value) => typeof value === 'string' && !brokenText(value) && isEmail(value),
      defaultMessage: () => 'email must be a valid email address',
    },
  });

export class EmailField {
  @ApiProperty({ example: 'ada@example.com' })
  @trimmedLowercase
  @EmailAddress()
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
  @StorableText()
  @Length(1, 100, { message: 'displayName must be between 1 and 100 characters long' })
  displayName!: string;
}

export class RegisteredDto {
  @ApiProperty() userId!: string;
  @ApiProperty() version!: number;
}
