import type * as JsonWebToken from 'jsonwebtoken';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, verifyAccessToken } from './access-token';
import { createTestKeyPair, signTestToken } from './testing';

const keys = createTestKeyPair();
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({
  sub: 'user-1',
  role: 'user',
  iss: ACCESS_TOKEN_ISSUER,
  aud: ACCESS_TOKEN_AUDIENCE,
  iat: now(),
  exp: now() + 300,
});

describe('verifyAccessToken', () => {
  it('given a token signed by user-account, returns its user and role', () => {
    const token = signTestToken(keys.privateKeyPem, { userId: 'user-1', role: 'admin' });
    expect(verifyAccessToken(token, keys.publicKeyPem)).toEqual({ userId: 'user-1', role: 'admin' });
  });

  it('rejects a token whose payload was tampered with', () => {
    const [header, , signature] = signTestToken(keys.privateKeyPem, { userId: 'user-1' }).split('.');
    const forged = [header, b64({ ...claims(), role: 'admin' }), signature].join('.');
    expect(() => verifyAccessToken(forged, keys.publicKeyPem)).toThrow('invalid signature');
  });

  it('rejects an expired token', () => {
    const token = signTestToken(keys.privateKeyPem, { userId: 'user-1', expiresInSeconds: -10 });
    expect(() => verifyAccessToken(token, keys.publicKeyPem)).toThrow('jwt expired');
  });

  it('rejects an unsigned token (alg none)', () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    expect(() => verifyAccessToken(token, keys.publicKeyPem)).toThrow();
  });

  it('rejects a token signed with HS256 using the public key as the secret', () => {
    const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
    const signature = createHmac('sha256', keys.publicKeyPem).update(unsigned).digest('base64url');
    expect(() => verifyAccessToken(`${unsigned}.${signature}`, keys.publicKeyPem)).toThrow();
  });

  it('rejects a token signed with another key', () => {
    const other = createTestKeyPair();
    const token = signTestToken(other.privateKeyPem, { userId: 'user-1' });
    expect(() => verifyAccessToken(token, keys.publicKeyPem)).toThrow('invalid signature');
  });

  it('rejects a token signed with another algorithm even by a valid key pair', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwt = jest.requireActual<typeof JsonWebToken>('jsonwebtoken');
    const token = jwt.sign(claims(), privateKey, { algorithm: 'ES256' });
    expect(() => verifyAccessToken(token, keys.publicKeyPem)).toThrow();
  });

  it.each([
    ['issuer', { iss: 'someone-else' }],
    ['audience', { aud: 'another-system' }],
  ])('rejects a token for the wrong %s', (_what, override) => {
    const jwt = jest.requireActual<typeof JsonWebToken>('jsonwebtoken');
    const token = jwt.sign({ ...claims(), ...override }, keys.privateKeyPem, { algorithm: 'RS256' });
    expect(() => verifyAccessToken(token, keys.publicKeyPem)).toThrow();
  });

  it('rejects a token without a known role', () => {
    const jwt = jest.requireActual<typeof JsonWebToken>('jsonwebtoken');
    const token = jwt.sign({ ...claims(), role: 'root' }, keys.privateKeyPem, { algorithm: 'RS256' });
    expect(() => verifyAccessToken(token, keys.publicKeyPem)).toThrow('no valid role');
  });

  it('rejects garbage', () => {
    expect(() => verifyAccessToken('not-a-jwt', keys.publicKeyPem)).toThrow();
  });
});
