import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidConfigurationError } from '@tradecore/eventing/nest';

export interface SigningKey {
  readonly privateKeyPem: string;
  readonly publicKey: KeyObject;
  /** RFC 7638 thumbprint, so verifiers can pick the key from the JWKS during a rotation. */
  readonly keyId: string;
  readonly jwk: Readonly<Record<string, string>>;
}

export const SIGNING_KEY = Symbol('SIGNING_KEY');

type Lookup = (name: string) => string | undefined;

/**
 * Only user-account holds the private key. Its public half must be the AUTH_PUBLIC_KEY that
 * every service (this one included) verifies with; a mismatch stops the start-up.
 */
export function loadSigningKey(lookup: Lookup, verifyingKey: KeyObject): SigningKey {
  const inline = lookup('AUTH_PRIVATE_KEY');
  const file = lookup('AUTH_PRIVATE_KEY_FILE');
  if (!inline && !file) {
    throw new InvalidConfigurationError([
      'AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE must hold the PEM RSA private key that signs access tokens (not set)',
    ]);
  }
  const source = inline ? 'AUTH_PRIVATE_KEY' : 'AUTH_PRIVATE_KEY_FILE';
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey((inline ?? readFileSync(file as string, 'utf8')).replace(/\\n/g, '\n'));
  } catch (error) {
    throw new InvalidConfigurationError([
      `${source} must be a PEM RSA private key (${(error as Error).message})`,
    ]);
  }
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw new InvalidConfigurationError([
      `${source} must be an RSA key (got ${privateKey.asymmetricKeyType})`,
    ]);
  const publicKey = createPublicKey(privateKey);
  const der = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  if (!der(publicKey).equals(der(verifyingKey)))
    throw new InvalidConfigurationError([`${source} is not the private half of AUTH_PUBLIC_KEY`]);
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const keyId = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
    keyId,
    jwk: { kty: 'RSA', n, e, kid: keyId, alg: 'RS256', use: 'sig' },
  };
}
