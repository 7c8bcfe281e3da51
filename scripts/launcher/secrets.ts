import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { SuiteSecrets } from './services';

/**
 * Local runs need a token signing key pair, a credentials encryption key, a webhook signing key and
 * a secret the data keys' wrapping keys derive from. They are made
 * once under .data/keys (git-ignored) and reused, so tokens and stored credentials survive
 * restarts; production mounts its own (k8s Secrets).
 */
export function localSecrets(directory: string): SuiteSecrets {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const publicKeyFile = join(directory, 'token-signing.pub.pem');
  const privateKeyFile = join(directory, 'token-signing.pem');
  if (!existsSync(privateKeyFile) || !existsSync(publicKeyFile)) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
    writeFileSync(publicKeyFile, publicKey);
  }
  const credentialsKeyFile = join(directory, 'credentials.key');
  if (!existsSync(credentialsKeyFile)) {
    writeFileSync(credentialsKeyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  const webhookSigningKeyFile = join(directory, 'webhook-signing.key');
  if (!existsSync(webhookSigningKeyFile)) {
    writeFileSync(webhookSigningKeyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  const dataKeysSecretFile = join(directory, 'data-keys.key');
  if (!existsSync(dataKeysSecretFile)) {
    writeFileSync(dataKeysSecretFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return {
    publicKeyFile,
    privateKeyFile,
    credentialsKey: readFileSync(credentialsKeyFile, 'utf8').trim(),
    webhookSigningKey: readFileSync(webhookSigningKeyFile, 'utf8').trim(),
    dataKeysSecret: readFileSync(dataKeysSecretFile, 'utf8').trim(),
  };
}
