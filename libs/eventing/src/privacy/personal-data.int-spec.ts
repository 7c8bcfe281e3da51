import { randomBytes } from 'node:crypto';
import { EventStore } from '../event-store/event-store';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../testing';
import { PersonalData } from './personal-data';
import { ERASED } from './sealed-fields';

const fields = {
  AccountsLinked: { subject: 'userId', fields: ['accounts[].number', 'accounts[].name'] },
  BalanceReported: { subject: 'userId', fields: ['cash'], recipient: 'reader' },
};
const reported = (userId: string, cash: string) => ({ type: 'BalanceReported', payload: { userId, cash } });
const linked = (userId: string, number: string) => ({
  type: 'AccountsLinked',
  payload: {
    userId,
    connectionId: 'c-1',
    accounts: [{ accountId: 'a-1', number, name: `Alpaca ${number}` }],
  },
});

describe('crypto-shredding in the event store (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;
  let personalData: PersonalData;

  beforeAll(async () => {
    db = await createTestSchema('pd');
    await migrateEventing(db.dataSource, db.schema);
    personalData = new PersonalData({ dataSource: db.dataSource, schema: db.schema, fields });
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema, personalData });
  });
  afterAll(() => db.drop());

  const rawText = async (table: 'events' | 'outbox', where: string, value: string) =>
    JSON.stringify(
      await db.dataSource.query(`SELECT * FROM "${db.schema}".${table} WHERE ${where} = $1`, [value]),
    );

  it('given a personal event, the store and the outbox hold it sealed and a load gives it back', async () => {
    await store.append('s-ada', 'Accounts', 0, [linked('ada', 'PA0001')], { topic: 'accounts.events' });

    expect(await rawText('events', 'stream_id', 's-ada')).not.toContain('PA0001');
    expect(await rawText('outbox', 'key', 's-ada')).not.toContain('PA0001');
    expect(await rawText('outbox', 'key', 's-ada')).toContain('sealed:v1:');
    const [loaded] = await store.readStream('s-ada');
    expect(loaded.payload).toEqual(linked('ada', 'PA0001').payload);
  });

  it('given a shredded user, their fields read as erased, snapshots go, others stay readable', async () => {
    await store.append('s-bob', 'Accounts', 0, [linked('bob', 'PA0002')]);
    await store.append('s-cy', 'Accounts', 0, [linked('cy', 'PA0003')]);
    await store.saveSnapshot({
      streamId: 's-bob',
      version: 1,
      state: { number: 'PA0002' },
      schemaVersion: 1,
    });

    expect(await personalData.shred('bob')).toBe(true);
    expect(await personalData.shred('bob')).toBe(false);

    const [erased] = await store.readStream('s-bob');
    expect(erased.payload).toMatchObject({
      userId: 'bob',
      accounts: [{ accountId: 'a-1', number: ERASED, name: ERASED }],
    });
    expect(await store.loadSnapshot('s-bob')).toBeUndefined();
    const [kept] = (await store.readAll(0, 100)).filter((event) => event.envelope.streamId === 's-cy');
    expect(kept.envelope.payload).toEqual(linked('cy', 'PA0003').payload);
  });

  it('given a shredded user, a late event of theirs is born erased: no new key is made', async () => {
    await personalData.shred('dee');
    await store.append('s-dee', 'Accounts', 0, [linked('dee', 'PA0004')]);

    const [late] = await new EventStore({
      dataSource: db.dataSource,
      schema: db.schema,
      personalData: new PersonalData({ dataSource: db.dataSource, schema: db.schema, fields }),
    }).readStream('s-dee');
    expect(late.payload).toMatchObject({ accounts: [{ number: ERASED }] });
    const keys = await db.dataSource.query(
      `SELECT key FROM "${db.schema}".data_keys WHERE subject_id = 'dee'`,
    );
    expect(keys).toEqual([{ key: null }]);
  });

  it("given a type another service reads, the stored copy is the writer's and the topic copy opens only at the reader", async () => {
    const readerDb = await createTestSchema('pdr');
    await migrateEventing(readerDb.dataSource, readerDb.schema);
    const reader = new PersonalData({ dataSource: readerDb.dataSource, schema: readerDb.schema, fields });
    try {
      await personalData.rememberRecipientKey('eve', 'reader', await reader.publicKey('eve'));
      await store.append('s-eve', 'Balances', 0, [reported('eve', '7391.28')], { topic: 'balances.events' });

      const [outgoing] = await db.dataSource.query(
        `SELECT envelope FROM "${db.schema}".outbox WHERE key = 's-eve'`,
      );
      const published = JSON.parse(outgoing.envelope) as { type: string; payload: unknown };
      expect(JSON.stringify(published)).not.toContain('7391.28');
      expect((await reader.open(published)).payload).toEqual({ userId: 'eve', cash: '7391.28' });
      expect((await personalData.open(published)).payload).toEqual({ userId: 'eve', cash: ERASED });
      expect((await store.readStream('s-eve'))[0].payload).toEqual({ userId: 'eve', cash: '7391.28' });

      await reader.shred('eve');
      expect((await reader.open(published)).payload).toEqual({ userId: 'eve', cash: ERASED });
    } finally {
      await readerDb.drop();
    }
  });

  it('given no key of the reader for the subject, the topic copy is born erased for everyone', async () => {
    await store.append('s-fay', 'Balances', 0, [reported('fay', '12.34')], { topic: 'balances.events' });

    const [outgoing] = await db.dataSource.query(
      `SELECT envelope FROM "${db.schema}".outbox WHERE key = 's-fay'`,
    );
    expect(outgoing.envelope).toContain('sealed:x1:');
    expect(outgoing.envelope).not.toContain('12.34');
  });

  it('given a wrapping key, data keys rest wrapped: the dump alone opens nothing, the service reads as before', async () => {
    const wrappingKey = randomBytes(32);
    const wrapped = new PersonalData({ dataSource: db.dataSource, schema: db.schema, fields, wrappingKey });
    const sealed = await wrapped.seal(linked('gus', 'PA0007'));

    const [row] = await db.dataSource.query(
      `SELECT key FROM "${db.schema}".data_keys WHERE subject_id = 'gus'`,
    );
    expect((row.key as Buffer).length).toBe(60);
    const fresh = (options: { wrappingKey?: Buffer }) =>
      new PersonalData({ dataSource: db.dataSource, schema: db.schema, fields, ...options });
    expect((await fresh({ wrappingKey }).open(sealed)).payload).toEqual(linked('gus', 'PA0007').payload);
    await expect(fresh({}).open(sealed)).rejects.toThrow(/DATA_KEYS_WRAPPING_KEY/);
  });
});
