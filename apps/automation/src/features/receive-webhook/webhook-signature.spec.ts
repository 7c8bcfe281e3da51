import { signatureOf, signatureProblem, signingSecretOf } from './webhook-signature';

const secret = signingSecretOf('server-key-of-at-least-32-bytes-base64-xxxxxxxx', 'auto-1', 'secret-1');
const body = Buffer.from('{"ticker":"AAPL","action":"buy"}');
const now = 1_767_000_000;
const header = (timestamp: number, signed = body) =>
  `t=${timestamp},v1=${signatureOf(secret, timestamp, signed)}`;
const check = (value: string | undefined) => signatureProblem(value, secret, body, now, 300)?.code;

describe('webhook signatures', () => {
  it('accepts the body signed with the secret within the window', () => {
    expect(check(header(now - 299))).toBeUndefined();
    expect(check(header(now + 60))).toBeUndefined();
  });

  it('refuses an unsigned, a stale (replayed) and a forged request, each with its code', () => {
    expect(check(undefined)).toBe('SIGNATURE_REQUIRED');
    expect(check('v1=abc')).toBe('SIGNATURE_REQUIRED');
    expect(check(header(now - 301))).toBe('SIGNATURE_EXPIRED');
    expect(check(header(now, Buffer.from('{"ticker":"AAPL","action":"sell"}')))).toBe('SIGNATURE_INVALID');
  });

  it('derives a different secret per automation and per issue', () => {
    const key = 'server-key-of-at-least-32-bytes-base64-xxxxxxxx';
    expect(signingSecretOf(key, 'auto-1', 'secret-2')).not.toBe(secret);
    expect(signingSecretOf(key, 'auto-2', 'secret-1')).not.toBe(secret);
  });
});
