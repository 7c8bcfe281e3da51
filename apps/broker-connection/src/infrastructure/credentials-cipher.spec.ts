import { randomBytes } from 'node:crypto';
import { CredentialsCipher } from './credentials-cipher';

const key = () => randomBytes(32).toString('base64');

describe('CredentialsCipher', () => {
  const oldKey = `k1:${key()}`;
  const newKey = `k2:${key()}`;

  it('opens what it sealed, and the ciphertext does not contain the secret', () => {
    const cipher = new CredentialsCipher(oldKey, 'k1');
    const sealed = cipher.seal('c-1', { apiSecretKey: 'very-secret' });
    expect(sealed.ciphertext.toString('utf8')).not.toContain('very-secret');
    expect(cipher.open('c-1', sealed)).toEqual({ apiSecretKey: 'very-secret' });
  });

  it('still opens rows sealed with a rotated-out active key', () => {
    const sealed = new CredentialsCipher(oldKey, 'k1').seal('c-1', { s: 1 });
    const rotated = new CredentialsCipher(`${newKey},${oldKey}`, 'k2');
    expect(rotated.open('c-1', sealed)).toEqual({ s: 1 });
    expect(rotated.seal('c-1', { s: 1 }).keyId).toBe('k2');
  });

  it('refuses a ciphertext moved to another connection', () => {
    const cipher = new CredentialsCipher(oldKey, 'k1');
    expect(() => cipher.open('c-2', cipher.seal('c-1', { s: 1 }))).toThrow();
  });

  it('refuses an active key id it does not hold', () => {
    expect(() => new CredentialsCipher(oldKey, 'k9')).toThrow(/CREDENTIALS_ACTIVE_KEY_ID/);
  });
});
