import { createHmac } from 'node:crypto';
import { createTestKeyPair, signTestToken } from '@tradecore/auth/testing';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens an attacker could bring, each of which must be refused with 401 INVALID_TOKEN. */
export function forgedTokens(
  validToken: string,
  privateKeyPem: string,
  publicKeyPem: string,
  victimId: string,
) {
  const [header, payload, signature] = validToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const unsignedHs = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, sub: victimId })}`;
  return {
    tampered: [header, b64({ ...claims, sub: victimId, role: 'admin' }), signature].join('.'),
    expired: signTestToken(privateKeyPem, { userId: claims.sub, expiresInSeconds: -60 }),
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: victimId })}.`,
    wrongKey: signTestToken(createTestKeyPair().privateKeyPem, { userId: victimId }),
    hmacWithPublicKey: `${unsignedHs}.${createHmac('sha256', publicKeyPem).update(unsignedHs).digest('base64url')}`,
  };
}
