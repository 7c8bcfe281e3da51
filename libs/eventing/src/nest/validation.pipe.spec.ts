import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { createValidationPipe } from './validation.pipe';

class AccountDto {
  @IsString()
  currency!: string;
}

class LinkDto {
  @IsInt()
  @Min(1)
  quantity!: number;

  @ValidateNested({ each: true })
  @Type(() => AccountDto)
  accounts!: AccountDto[];
}

async function problemsOf(body: unknown): Promise<unknown> {
  const metadata: ArgumentMetadata = { type: 'body', metatype: LinkDto };
  try {
    await createValidationPipe().transform(body, metadata);
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('expected the body to be rejected');
}

describe('createValidationPipe', () => {
  it('names each bad field, nested ones by path, with the reason', async () => {
    expect(await problemsOf({ quantity: 0, accounts: [{ currency: 7 }] })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Invalid request: quantity, accounts.0.currency',
      details: [
        { field: 'quantity', reason: 'quantity must not be less than 1' },
        { field: 'accounts.0.currency', reason: 'currency must be a string' },
      ],
    });
  });

  it('refuses fields the DTO does not declare', async () => {
    expect(await problemsOf({ quantity: 1, accounts: [], admin: true })).toMatchObject({
      details: [{ field: 'admin', reason: 'property admin should not exist' }],
    });
  });

  it('refuses nesting deeper than any DTO before building one (deep enough would overflow the stack)', async () => {
    const deep = JSON.parse(`${'{"a":['.repeat(5000)}1${']}'.repeat(5000)}`);
    expect(await problemsOf(deep)).toMatchObject({ statusCode: 400, code: 'BODY_TOO_DEEP' });
  });

  it('names a path or query parameter holding NUL, which PostgreSQL cannot store', async () => {
    const metadata: ArgumentMetadata = { type: 'param', data: 'accountId', metatype: String };
    await expect(createValidationPipe().transform('abc\u0000', metadata)).rejects.toMatchObject({
      response: { code: 'INVALID_TEXT', message: 'accountId contains a NUL character or broken Unicode' },
    });
  });
});
