import { randomBytes } from 'node:crypto';
import {
  ERASED,
  isSealed,
  mapPersonalFields,
  openValue,
  personalKeysOf,
  redactKeys,
  sealValue,
  subjectOf,
} from './sealed-fields';

const spec = {
  subject: 'userId',
  fields: ['accounts[].externalAccountId', 'accounts[].displayName', 'cash'],
};
const payload = {
  userId: 'user-1',
  connectionId: 'c-1',
  cash: '1000.00',
  accounts: [
    { accountId: 'a-1', externalAccountId: 'PA123', displayName: 'Ada Lovelace' },
    { accountId: 'a-2', externalAccountId: 'PA456', displayName: 'Margin' },
  ],
};
const key = randomBytes(32);
const seal = (value: unknown) => mapPersonalFields(value, spec, (field) => sealValue(field, key, 'user-1'));

describe('sealed personal fields', () => {
  it('given a payload, sealing hides exactly the declared fields and keeps ids readable', () => {
    const sealed = seal(payload) as typeof payload;
    expect(JSON.stringify(sealed)).not.toMatch(/PA123|PA456|Ada Lovelace|1000\.00/);
    expect(sealed.accounts.map((account) => account.accountId)).toEqual(['a-1', 'a-2']);
    expect([sealed.userId, sealed.connectionId]).toEqual(['user-1', 'c-1']);
    expect(isSealed(sealed.cash)).toBe(true);
    expect(payload.accounts[0].externalAccountId).toBe('PA123');
  });

  it('given the key, opening gives back the payload', () => {
    const opened = mapPersonalFields(seal(payload), spec, (field) =>
      openValue(field as string, key, 'user-1'),
    );
    expect(opened).toEqual(payload);
  });

  it('given a shredded key, another key or another subject, every field reads as erased', () => {
    const sealed = seal(payload);
    for (const [otherKey, subject] of [
      [undefined, 'user-1'],
      [randomBytes(32), 'user-1'],
      [key, 'user-2'],
    ] as const) {
      const opened = mapPersonalFields(sealed, spec, (field) =>
        openValue(field as string, otherKey, subject),
      );
      expect(opened).toEqual({
        ...payload,
        cash: ERASED,
        accounts: payload.accounts.map((account) => ({
          ...account,
          externalAccountId: ERASED,
          displayName: ERASED,
        })),
      });
    }
  });

  it('given a payload without the field or the subject, nothing changes', () => {
    expect(seal({ userId: 'user-1' })).toEqual({ userId: 'user-1' });
    expect(subjectOf({ connectionId: 'c-1' }, spec)).toBeUndefined();
  });
});

describe('redacting personal keys where nothing was sealed', () => {
  it('given a saga context, every value under a personal key is erased at any depth, ids stay', () => {
    const keys = personalKeysOf({ Linked: spec });
    const context = { userId: 'user-1', accounts: [{ externalAccountId: 'PA1', balance: { cash: '5' } }] };
    expect(redactKeys(context, keys)).toEqual({
      userId: 'user-1',
      accounts: [{ externalAccountId: ERASED, balance: { cash: ERASED } }],
    });
  });
});
