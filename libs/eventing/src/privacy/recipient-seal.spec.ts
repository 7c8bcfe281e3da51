import { randomBytes } from 'node:crypto';
import { openValueAs, recipientKey, sealValueFor } from './recipient-seal';
import { ERASED } from './sealed-fields';

const dataKey = randomBytes(32);
const recipient = recipientKey(dataKey);
const balance = { cash: '7391.28', equity: '8012.55' };

describe('sealing for another service', () => {
  it('given the recipient public key, only its private key for the same subject opens the value', () => {
    const sealed = sealValueFor(balance, recipient.publicKey, 'user-1');

    expect(sealed).toMatch(/^sealed:x1:/);
    expect(sealed).not.toContain('7391.28');
    expect(openValueAs(sealed, recipientKey(dataKey), 'user-1')).toEqual(balance);
    expect(openValueAs(sealed, recipientKey(randomBytes(32)), 'user-1')).toBe(ERASED);
    expect(openValueAs(sealed, recipient, 'user-2')).toBe(ERASED);
  });

  it('given the data key shredded, the private key derived from it is gone and the value reads as erased', () => {
    const sealed = sealValueFor('PA1234', recipient.publicKey, 'user-1');

    expect(openValueAs(sealed, undefined, 'user-1')).toBe(ERASED);
  });

  it('given the same value twice, the copies differ: nothing links them without the key', () => {
    const publicKey = recipient.publicKey;

    expect(sealValueFor('PA1234', publicKey, 'user-1')).not.toBe(sealValueFor('PA1234', publicKey, 'user-1'));
    expect(recipientKey(dataKey).publicKey).toBe(publicKey);
  });
});
