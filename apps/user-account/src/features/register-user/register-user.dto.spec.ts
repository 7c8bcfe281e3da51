import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { UpdateProfileDto } from '../update-profile/update-profile.dto';
import { RegisterUserDto } from './register-user.dto';

const problems = async (type: new () => object, body: object) =>
  (await validate(plainToInstance(type, body), { whitelist: true, forbidNonWhitelisted: true })).flatMap(
    (error) => Object.values(error.constraints ?? {}),
  );
const valid = { email: 'ada@example.com', password: 'correct horse 42', displayName: 'Ada' };

describe('text that cannot be stored is a named 400, not a 500', () => {
  it('given an email with an unpaired surrogate, says the email is invalid instead of throwing', async () => {
    expect(await problems(RegisterUserDto, { ...valid, email: '\ud800@example.com' })).toEqual([
      'email must be a valid email address',
    ]);
    expect(await problems(UpdateProfileDto, { email: 'a\udc00@example.com' })).toEqual([
      'email must be a valid email address',
    ]);
  });

  it('given a display name with a NUL (PostgreSQL text refuses it), names the field', async () => {
    expect(await problems(RegisterUserDto, { ...valid, displayName: 'Ada\u0000' })).toEqual([
      'displayName must not contain NUL characters or broken Unicode',
    ]);
    expect(await problems(UpdateProfileDto, { displayName: 'x\ud800' })).toEqual([
      'displayName must not contain NUL characters or broken Unicode',
    ]);
  });

  it('accepts ordinary and non-Latin text', async () => {
    expect(await problems(RegisterUserDto, { ...valid, displayName: 'Ada 💥 Lövelace' })).toEqual([]);
    expect(await problems(UpdateProfileDto, { email: 'ada@example.org' })).toEqual([]);
  });
});
