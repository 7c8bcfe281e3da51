import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { quoteIdent } from '../migrations/sql-identifiers';
import { openValueAs, type RecipientKey, recipientKey, sealValueFor } from './recipient-seal';
import {
  isSealed,
  isSealedWithOwnKey,
  mapPersonalFields,
  openValue,
  type PersonalFields,
  type PersonalFieldsSpec,
  sealValue,
  subjectOf,
} from './sealed-fields';

export interface PersonalDataOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly fields: PersonalFields;
  /**
   * The service's key (DATA_KEYS_WRAPPING_KEY) that wraps every data key at rest, so a database dump
   * alone opens nothing; keys stored before it was set stay readable as they are.
   */
  readonly wrappingKey?: Buffer;
  /** How long a replica trusts a key it read; bounds how long a key shredded elsewhere still opens here. */
  readonly cacheMs?: number;
}

interface Sealable {
  readonly type: string;
  readonly payload: unknown;
}

type Session = Pick<EntityManager, 'query'>;

const MAX_CACHED_KEYS = 10_000;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Crypto-shredding: personal fields of the message types in `fields` are sealed with a key per
 * data subject, kept in this service's own `data_keys` table, before they are stored or published.
 * Shredding the subject deletes the key, so every copy (events, outbox, Kafka, backups) reads
 * as ERASED from then on. A shredded subject keeps a key-less row, so no later write mints a new key.
 */
export class PersonalData {
  private readonly table: string;
  private readonly recipients: string;
  private readonly cache = new Map<
    string,
    { key: Buffer | undefined; until: number; recipient?: RecipientKey }
  >();
  private readonly cacheMs: number;

  constructor(private readonly options: PersonalDataOptions) {
    this.table = `${quoteIdent(options.schema)}.data_keys`;
    this.recipients = `${quoteIdent(options.schema)}.recipient_keys`;
    this.cacheMs = options.cacheMs ?? 60_000;
  }

  specOf(type: string): PersonalFieldsSpec | undefined {
    return this.options.fields[type];
  }

  /** The message with its personal fields sealed, creating the subject's key on first use. */
  async seal<M extends Sealable>(message: M, session: Session = this.options.dataSource.manager): Promise<M> {
    const spec = this.specOf(message.type);
    const subjectId = spec && subjectOf(message.payload, spec);
    if (!spec || !subjectId) return message;
    // A shredded subject's late data is sealed with a key nobody keeps: it is born erased.
    const key = (await this.keyFor(subjectId, session)) ?? randomBytes(32);
    const payload = mapPersonalFields(message.payload, spec, (value) =>
      isSealed(value) ? value : sealValue(value, key, subjectId),
    );
    return { ...message, payload };
  }

  /**
   * The message as it leaves for its topic: where the type names a `recipient`, its fields are
   * sealed for the recipient's key for the subject, as remembered (`rememberRecipientKey`); with
   * none remembered, for no one: the copy is born erased for every reader. Other types go as
   * stored: `sealed`, when the caller sealed it already.
   */
  async sealOutgoing<M extends Sealable>(message: M, session: Session, sealed?: M): Promise<M> {
    const spec = this.specOf(message.type);
    const subjectId = spec && subjectOf(message.payload, spec);
    if (!spec?.recipient || !subjectId) return sealed ?? this.seal(message, session);
    const rows: { public_key: string }[] = await session.query(
      `SELECT public_key FROM ${this.recipients} WHERE subject_id = $1 AND recipient = $2`,
      [subjectId, spec.recipient],
    );
    return this.sealFor(message, rows[0]?.public_key);
  }

  /** The message with its personal fields sealed for a recipient's public key (nobody's, when absent). */
  sealFor<M extends Sealable>(message: M, recipientPublicKey: string | undefined): M {
    const spec = this.specOf(message.type);
    const subjectId = spec && subjectOf(message.payload, spec);
    if (!spec || !subjectId) return message;
    const publicKey = recipientPublicKey ?? recipientKey(randomBytes(32)).publicKey;
    const payload = mapPersonalFields(message.payload, spec, (value) =>
      isSealed(value) ? value : sealValueFor(value, publicKey, subjectId),
    );
    return { ...message, payload };
  }

  /** This service's public key for the subject, for senders to seal with; a shredded subject's opens nothing. */
  async publicKey(subjectId: string, session: Session = this.options.dataSource.manager): Promise<string> {
    const key = await this.keyFor(subjectId, session);
    return key ? this.recipientKeyOf(subjectId, key).publicKey : recipientKey(randomBytes(32)).publicKey;
  }

  /** Where the outgoing copies of the subject's data go sealed for `recipient` from now on. */
  async rememberRecipientKey(
    subjectId: string,
    recipient: string,
    publicKey: string,
    session: Session = this.options.dataSource.manager,
  ): Promise<void> {
    await session.query(
      `INSERT INTO ${this.recipients} (subject_id, recipient, public_key) VALUES ($1, $2, $3)
       ON CONFLICT (subject_id, recipient) DO UPDATE SET public_key = EXCLUDED.public_key`,
      [subjectId, recipient, publicKey],
    );
  }

  /** The message with its sealed fields opened, or ERASED where the subject was shredded or it was not for us. */
  async open<M extends Sealable>(message: M, session: Session = this.options.dataSource.manager): Promise<M> {
    const spec = this.specOf(message.type);
    const subjectId = spec && subjectOf(message.payload, spec);
    if (!spec || !subjectId) return message;
    const key = await this.existingKey(subjectId, session);
    const payload = mapPersonalFields(message.payload, spec, (value) => {
      if (!isSealed(value)) return value;
      if (isSealedWithOwnKey(value)) return openValue(value, key, subjectId);
      return openValueAs(value, key && this.recipientKeyOf(subjectId, key), subjectId);
    });
    return { ...message, payload };
  }

  /**
   * Deletes the subject's key for good (and the recipient keys it sealed for), and the snapshots
   * of streams that name the subject (a snapshot holds state, not sealed events); returns whether
   * this call shredded the key.
   */
  async shred(subjectId: string, session: Session = this.options.dataSource.manager): Promise<boolean> {
    const schema = quoteIdent(this.options.schema);
    const subjectFields = [...new Set(Object.values(this.options.fields).map((spec) => spec.subject))];
    await session.query(
      `DELETE FROM ${schema}.snapshots WHERE stream_id IN (
         SELECT e.stream_id FROM ${schema}.events e
          WHERE EXISTS (SELECT 1 FROM unnest($2::text[]) AS f(name) WHERE e.payload ->> f.name = $1))`,
      [subjectId, subjectFields],
    );
    await session.query(`DELETE FROM ${this.recipients} WHERE subject_id = $1`, [subjectId]);
    const rows: unknown[] = await session.query(
      `INSERT INTO ${this.table} (subject_id, key, shredded_at) VALUES ($1, NULL, now())
       ON CONFLICT (subject_id) DO UPDATE SET key = NULL, shredded_at = now()
         WHERE ${this.table}.shredded_at IS NULL
       RETURNING 1`,
      [subjectId],
    );
    this.remember(subjectId, undefined);
    return rows.length > 0;
  }

  private async keyFor(subjectId: string, session: Session): Promise<Buffer | undefined> {
    const cached = this.cached(subjectId);
    if (cached) return cached.key;
    const rows: { key: Buffer | null; created: boolean }[] = await session.query(
      `WITH created AS (
         INSERT INTO ${this.table} (subject_id, key) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING RETURNING key)
       SELECT key, true AS created FROM created
       UNION ALL SELECT key, false FROM ${this.table} WHERE subject_id = $1 LIMIT 1`,
      [subjectId, this.wrap(randomBytes(32), subjectId)],
    );
    // A writer racing to make the same key committed after this statement's snapshot: read it now.
    if (rows.length === 0) return this.existingKey(subjectId, session);
    const key = this.unwrap(rows[0].key, subjectId);
    // A key made in the caller's transaction is remembered only once read back committed.
    return rows[0].created ? key : this.remember(subjectId, key);
  }

  private async existingKey(subjectId: string, session: Session): Promise<Buffer | undefined> {
    const cached = this.cached(subjectId);
    if (cached) return cached.key;
    const rows: { key: Buffer | null }[] = await session.query(
      `SELECT key FROM ${this.table} WHERE subject_id = $1`,
      [subjectId],
    );
    // A subject with no row yet has nothing sealed: not remembered, so its first key is read when made.
    if (rows.length === 0) return undefined;
    return this.remember(subjectId, this.unwrap(rows[0].key, subjectId));
  }

  /** Deriving the key pair costs more than opening a value with it: kept beside the cached data key. */
  private recipientKeyOf(subjectId: string, key: Buffer): RecipientKey {
    const entry = this.cache.get(subjectId);
    if (entry?.key !== key) return recipientKey(key);
    return (entry.recipient ??= recipientKey(key));
  }

  private wrap(key: Buffer, subjectId: string): Buffer {
    const { wrappingKey } = this.options;
    if (!wrappingKey) return key;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv).setAAD(Buffer.from(subjectId));
    const wrapped = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), wrapped]);
  }

  /** Fails loudly rather than read data as erased when the wrapping key is missing or wrong. */
  private unwrap(stored: Buffer | null, subjectId: string): Buffer | undefined {
    if (!stored || stored.length === KEY_BYTES) return stored ?? undefined;
    const { wrappingKey } = this.options;
    if (!wrappingKey) throw new Error('data keys are wrapped, but DATA_KEYS_WRAPPING_KEY is not set');
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, stored.subarray(0, IV_BYTES))
      .setAAD(Buffer.from(subjectId))
      .setAuthTag(stored.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(stored.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  private cached(subjectId: string) {
    const entry = this.cache.get(subjectId);
    return entry && entry.until > Date.now() ? entry : undefined;
  }

  private remember(subjectId: string, key: Buffer | undefined): Buffer | undefined {
    const now = Date.now();
    if (this.cache.size >= MAX_CACHED_KEYS)
      for (const [cached, entry] of this.cache) if (entry.until <= now) this.cache.delete(cached);
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
    this.cache.set(subjectId, { key, until: now + this.cacheMs });
    return key;
  }
}
