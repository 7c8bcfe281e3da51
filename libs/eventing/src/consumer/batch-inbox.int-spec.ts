import type { EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../testing';
import { BatchInbox } from './batch-inbox';

const envelope = (messageId: string): Envelope => ({
  messageId,
  type: 'Added',
  schemaVersion: 1,
  streamId: messageId,
  streamVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: messageId,
  causationId: messageId,
  payload: {},
});

describe('BatchInbox (PostgreSQL)', () => {
  let db: TestSchema;
  let handled: string[][];
  let inbox: BatchInbox;
  const claimed = async () =>
    (await db.dataSource.query(`SELECT message_id FROM "${db.schema}".inbox ORDER BY message_id`)).map(
      (row: { message_id: string }) => row.message_id,
    );

  beforeEach(async () => {
    db = await createTestSchema();
    await migrateEventing(db.dataSource, db.schema);
    handled = [];
    const handle = async (envelopes: readonly Envelope[], _manager: EntityManager) => {
      if (envelopes.some((e) => e.messageId.startsWith('poison'))) throw new Error('cannot handle poison');
      handled.push(envelopes.map((e) => e.messageId));
    };
    inbox = new BatchInbox(db.dataSource, `"${db.schema}".inbox`, 'trace', handle, 20);
  });

  afterEach(async () => {
    await db.drop();
  });

  it('handles batches that arrive together in one transaction, a message seen twice once', async () => {
    await Promise.all([
      inbox.handle([envelope('a1'), envelope('a2')]),
      inbox.handle([envelope('b1'), envelope('a1')]),
    ]);

    expect(handled).toEqual([['a1', 'a2', 'b1']]);
    expect(await claimed()).toEqual(['a1', 'a2', 'b1']);
  });

  it('tries each batch alone when the shared transaction fails, so only the bad batch fails', async () => {
    const good = inbox.handle([envelope('g1')]);
    const bad = inbox.handle([envelope('poison1'), envelope('g2')]);

    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('cannot handle poison');
    expect(handled).toEqual([['g1']]);
    expect(await claimed()).toEqual(['g1']);
  });

  it('skips messages already claimed by an earlier transaction', async () => {
    await inbox.handle([envelope('c1')]);
    await inbox.handle([envelope('c1'), envelope('c2')]);

    expect(handled).toEqual([['c1'], ['c2']]);
  });

  it('claims ids that need quoting in SQL exactly as sent (the claim is an escaped literal)', async () => {
    const odd = ["it's", 'back\\slash', "');DROP TABLE x;--"];
    await inbox.handle(odd.map(envelope));

    expect(handled).toEqual([odd]);
    expect((await claimed()).sort()).toEqual([...odd].sort());
  });
});
