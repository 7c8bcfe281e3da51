import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface SealedCredentials {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly authTag: Buffer;
  readonly ciphertext: Buffer;
}

/**
 * AES-256-GCM with the connection id as associated data, so a ciphertext copied onto another
 * connection's row fails to open. Keys are kept by id: new secrets use the active key, old
 * rows still open with the key they name, which is what lets keys rotate.
 */
export class CredentialsCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keyList: string,
    private readonly activeKeyId: string,
  ) {
    this.keys = new Map(
      keyList.split(',').map((entry) => {
        const [id, base64] = entry.split(':');
        return [id, Buffer.from(base64, 'base64')] as const;
      }),
    );
    if ([...this.keys.values()].some((key) => key.length !== 32))
      throw new Error('Invalid configuration: every CREDENTIALS_KEYS key must be 32 bytes');
    if (!this.keys.has(activeKeyId))
      throw new Error(
        `Invalid configuration: CREDENTIALS_ACTIVE_KEY_ID "${activeKeyId}" is not in CREDENTIALS_KEYS`,
      );
  }

  seal(connectionId: string, secret: unknown): SealedCredentials {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.activeKeyId), iv);
    cipher.setAAD(Buffer.from(connectionId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secret), 'utf8'), cipher.final()]);
    return { keyId: this.activeKeyId, iv, authTag: cipher.getAuthTag(), ciphertext };
  }

  open<T>(connectionId: string, sealed: SealedCredentials): T {
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.keyId), sealed.iv);
    decipher.setAAD(Buffer.from(connectionId));
    decipher.setAuthTag(sealed.authTag);
    return JSON.parse(
      Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8'),
    ) as T;
  }

  /**
   * A keyed hash of `identity` (e.g. an API key id) under each configured key, the active one
   * first: equal identities can be found without storing them, and rows fingerprinted before a
   * key rotation still match as long as their key stays listed.
   */
  fingerprints(identity: string): string[] {
    const ids = [this.activeKeyId, ...[...this.keys.keys()].filter((id) => id !== this.activeKeyId)];
    return ids.map((id) => {
      const key = Buffer.from(
        hkdfSync('sha256', this.key(id), Buffer.alloc(0), 'credentials-fingerprint', 32),
      );
      return `${id}:${createHmac('sha256', key).update(identity).digest('base64url')}`;
    });
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key)
      throw new Error(`credentials were sealed with key "${id}", which CREDENTIALS_KEYS no longer holds`);
    return key;
  }
}
