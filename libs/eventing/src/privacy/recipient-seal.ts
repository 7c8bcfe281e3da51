import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { ERASED } from './sealed-fields';

/**
 * Sealing for another service: the sender knows only the recipient's X25519 public key for the
 * subject; each value gets an ephemeral key pair, so only the recipient's private key (derived from
 * its shredable data key) opens it, and the sender keeps nothing that could.
 */
export const RECIPIENT_PREFIX = 'sealed:x1:';

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const PUBLIC_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A reader's key pair for one subject; `publicKey` (raw, base64url) is what a sender needs, safe on any topic. */
export interface RecipientKey {
  readonly privateKey: KeyObject;
  readonly publicKey: string;
}

/** The subject's X25519 key pair, derived from its data key: shredding the data key erases it too. */
export function recipientKey(dataKey: Buffer): RecipientKey {
  const seed = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'tradecore recipient key', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_X25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: createPublicKey(privateKey).export({ format: 'jwk' }).x! };
}

const publicKeyOf = (text: string) =>
  createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: text }, format: 'jwk' });

function contentKey(shared: Buffer, ephemeral: Buffer, recipient: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, ephemeral, `tradecore sealed for ${recipient}`, 32));
}

/** AES-256-GCM under an X25519 agreement with `recipientPublicKey`; the subject id is authenticated. */
export function sealValueFor(value: unknown, recipientPublicKey: string, subjectId: string): string {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = Buffer.from(ephemeral.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const shared = diffieHellman({
    privateKey: ephemeral.privateKey,
    publicKey: publicKeyOf(recipientPublicKey),
  });
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', contentKey(shared, ephemeralRaw, recipientPublicKey), iv);
  cipher.setAAD(Buffer.from(subjectId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return (
    RECIPIENT_PREFIX + Buffer.concat([ephemeralRaw, iv, cipher.getAuthTag(), body]).toString('base64url')
  );
}

/** The value, or ERASED when the private key is gone (shredded) or is not the one it was sealed for. */
export function openValueAs(sealed: string, recipient: RecipientKey | undefined, subjectId: string): unknown {
  if (!recipient) return ERASED;
  try {
    const bytes = Buffer.from(sealed.slice(RECIPIENT_PREFIX.length), 'base64url');
    const ephemeralRaw = bytes.subarray(0, PUBLIC_BYTES);
    const iv = bytes.subarray(PUBLIC_BYTES, PUBLIC_BYTES + IV_BYTES);
    const tag = bytes.subarray(PUBLIC_BYTES + IV_BYTES, PUBLIC_BYTES + IV_BYTES + TAG_BYTES);
    const shared = diffieHellman({
      privateKey: recipient.privateKey,
      publicKey: publicKeyOf(ephemeralRaw.toString('base64url')),
    });
    const key = contentKey(shared, ephemeralRaw, recipient.publicKey);
    const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(subjectId)).setAuthTag(tag);
    const text = Buffer.concat([
      decipher.update(bytes.subarray(PUBLIC_BYTES + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(text.toString('utf8'));
  } catch {
    return ERASED;
  }
}
