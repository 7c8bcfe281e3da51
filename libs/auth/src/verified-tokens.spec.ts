import { createTestKeyPair, signTestToken } from './testing';
import { verifiedTokens } from './verified-tokens';

const keys = createTestKeyPair();
const otherKeys = createTestKeyPair();

describe('verifiedTokens', () => {
  it('given a token it accepted, accepts it again while it is unexpired', () => {
    const verify = verifiedTokens(keys.publicKeyPem);
    const token = signTestToken(keys.privateKeyPem, { userId: 'user-1', role: 'admin' });
    expect(verify(token).user).toEqual({ userId: 'user-1', role: 'admin' });
    expect(verify(token).user).toEqual({ userId: 'user-1', role: 'admin' });
  });

  it('refuses an accepted token once it has expired', () => {
    let nowMs = Date.now();
    const verify = verifiedTokens(keys.publicKeyPem, { now: () => nowMs });
    const token = signTestToken(keys.privateKeyPem, { userId: 'user-1', expiresInSeconds: 60 });
    verify(token);
    nowMs += 61_000;
    expect(() => verify(token)).toThrow('jwt expired');
    expect(() => verify(token)).toThrow('jwt expired');
  });

  it('given an accepted token, still refuses the same claims with another signature', () => {
    const verify = verifiedTokens(keys.publicKeyPem);
    verify(signTestToken(keys.privateKeyPem, { userId: 'user-1' }));
    const forged = signTestToken(otherKeys.privateKeyPem, { userId: 'user-1' });
    expect(() => verify(forged)).toThrow('invalid signature');
  });

  it('keeps at most maxEntries tokens and still verifies the ones it let go', () => {
    const verify = verifiedTokens(keys.publicKeyPem, { maxEntries: 1 });
    const first = signTestToken(keys.privateKeyPem, { userId: 'user-1' });
    const second = signTestToken(keys.privateKeyPem, { userId: 'user-2' });
    expect([verify(first), verify(second), verify(first)].map((token) => token.user.userId)).toEqual([
      'user-1',
      'user-2',
      'user-1',
    ]);
  });
});
