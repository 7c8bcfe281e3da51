import { EventStore } from '../event-store/event-store';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, TestSchema } from '../testing';
import { PersonalData } from './personal-data';
import { ERASED } from './sealed-fields';

const fields = {
  AccountsLinked: { subject: 'userId', fields: ['accounts[].number', 'accounts[].name'] },
};
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
});
