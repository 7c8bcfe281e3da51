import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Which fields of a message type are personal, and whose: `subject` names the payload field
 * holding the data subject's id (the user), `fields` the paths to seal, `[]` stepping into arrays
 * (`accounts[].externalAccountId`).
 */
export interface PersonalFieldsSpec {
  readonly subject: string;
  readonly fields: readonly string[];
  /**
   * The service that reads these fields off the topic: the outgoing copy is sealed for its public
   * key for the subject (recipient-seal.ts) instead of the writer's own key, which seals the stored copy.
   */
  readonly recipient?: string;
}

export type PersonalFields = Readonly<Record<string, PersonalFieldsSpec>>;

/** What a sealed field reads as once its subject's key is shredded. */
export const ERASED = '[erased]';

const PREFIX = 'sealed:v1:';
const ANY_SEAL = 'sealed:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Sealed by any service, with its own key (`sealed:v1:`) or for a recipient (`sealed:x1:`). */
export const isSealed = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(ANY_SEAL);

export const isSealedWithOwnKey = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(PREFIX);

/** AES-256-GCM over the value's JSON; the subject id is authenticated, so a value cannot move to another subject. */
export function sealValue(value: unknown, key: Buffer, subjectId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(subjectId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The value, or ERASED when there is no key (shredded) or it does not open. */
export function openValue(sealed: string, key: Buffer | undefined, subjectId: string): unknown {
  if (!key) return ERASED;
  try {
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
      .setAAD(Buffer.from(subjectId))
      .setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(text.toString('utf8'));
  } catch {
    return ERASED;
  }
}

export function subjectOf(payload: unknown, spec: PersonalFieldsSpec): string | undefined {
  const subject = (payload as Record<string, unknown> | null)?.[spec.subject];
  return typeof subject === 'string' && subject.length > 0 ? subject : undefined;
}

/** A copy of the payload with every value at the spec's paths replaced by `change(value)`. */
export function mapPersonalFields(
  payload: unknown,
  spec: PersonalFieldsSpec,
  change: (value: unknown) => unknown,
): unknown {
  return spec.fields.reduce((current, path) => mapPath(current, path.split('.'), change), payload);
}

function mapPath(node: unknown, path: readonly string[], change: (value: unknown) => unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  const [head, ...rest] = path;
  const inArray = head.endsWith('[]');
  const name = inArray ? head.slice(0, -2) : head;
  const record = node as Record<string, unknown>;
  if (!(name in record) || record[name] === undefined) return node;
  const value = record[name];
  const next = (child: unknown) => (rest.length === 0 ? change(child) : mapPath(child, rest, change));
  const replaced = inArray ? (Array.isArray(value) ? value.map(next) : value) : next(value);
  return { ...record, [name]: replaced };
}

/** The field names the specs' paths end in: what a store that cannot seal redacts by name. */
export function personalKeysOf(fields: PersonalFields): ReadonlySet<string> {
  return new Set(
    Object.values(fields).flatMap((spec) =>
      spec.fields.map((path) => path.split('.').pop()!.replace('[]', '')),
    ),
  );
}

/** A copy of any JSON value with the value of every key in `keys`, at any depth, replaced by ERASED. */
export function redactKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => redactKeys(item, keys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [name, keys.has(name) ? ERASED : redactKeys(field, keys)]),
  );
}
