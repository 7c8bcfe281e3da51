import { generateKeyPairSync } from 'node:crypto';
import { signAccessToken, type UserRole } from '../access-token';

export function createTestKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function signTestToken(
  privateKeyPem: string,
  claims: { userId: string; role?: UserRole; expiresInSeconds?: number; sessionId?: string },
): string {
  return signAccessToken(
    privateKeyPem,
    { userId: claims.userId, role: claims.role ?? 'user' },
    { expiresInSeconds: claims.expiresInSeconds ?? 300, sessionId: claims.sessionId },
  );
}
