import type { EntityManager } from 'typeorm';
import { DomainError } from '../decider/domain-error';
import { handleCommand } from '../decider/handle-command';
import type { Decider } from '../decider/decider';
import type { Envelope } from '../envelope/envelope';
import { EventStore } from '../event-store/event-store';
import { migrateEventing } from '../migrations/eventing-migrations';
import { createTestSchema, type TestSchema } from '../testing';
import { answerSagaCommand, type AnswerSagaCommandOptions, type SagaReplying } from './answer-saga-command';

type Command = { readonly type: 'Open' } | { readonly type: 'Refuse' };
type Event = { readonly type: 'Opened' };
const gate: Decider<Command, Event, { open: boolean }> = {
  initialState: { open: false },
  evolve: () => ({ open: true }),
  decide: (command, state) => {
    if (command.type === 'Refuse') throw new DomainError('GATE_REFUSED', 'the gate refuses');
    return state.open ? [] : [{ type: 'Opened' }];
  },
};

describe('answerSagaCommand (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;
  let sagaNumber = 0;

  beforeAll(async () => {
    db = await createTestSchema();
    await migrateEventing(db.dataSource, db.schema);
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
  });
  afterAll(() => db.drop());

  const commandEnvelope = (): Envelope =>
    ({
      messageId: `command-${++sagaNumber}`,
      type: 'LinkBrokerAccounts',
      correlationId: `saga-${sagaNumber}`,
      sagaId: `saga-${sagaNumber}`,
      sagaStep: 'link',
    }) as Envelope;

  const decide = (
    manager: EntityManager,
    streamId: string,
    command: Command,
    reply?: SagaReplying<'LinkBrokerAccounts'>,
  ) =>
    handleCommand({
      store,
      decider: gate,
      streamId,
      streamType: 'Gate',
      command,
      manager,
      outgoing: reply?.alongside({ linkedAccountIds: [streamId] }),
    });

  /** Answers one command in its own transaction; returns the replies and events it left behind. */
  async function answer(
    work: (manager: EntityManager, reply: SagaReplying<'LinkBrokerAccounts'>) => Promise<unknown>,
    options: AnswerSagaCommandOptions = {},
  ) {
    const envelope = commandEnvelope();
    await db.dataSource.transaction((manager) =>
      answerSagaCommand<'LinkBrokerAccounts'>(
        store,
        envelope,
        manager,
        async (reply) => {
          await work(manager, reply);
          return { linkedAccountIds: ['returned'] };
        },
        options,
      ),
    );
    const rows: { envelope: string }[] = await db.dataSource.query(
      `SELECT envelope FROM "${db.schema}".outbox WHERE topic = 'saga.replies' AND key = $1 ORDER BY id`,
      [envelope.sagaId],
    );
    return rows.map((row) => JSON.parse(row.envelope).payload);
  }
  const eventsOf = async (streamId: string) => (await store.readStream(streamId)).map((event) => event.type);

  it('rolls back what a refused command wrote and answers the refusal', async () => {
    const replies = await answer(async (manager) => {
      await decide(manager, 'gate-a', { type: 'Open' });
      await decide(manager, 'gate-a', { type: 'Refuse' });
    });
    expect(replies).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: { code: 'GATE_REFUSED', message: 'the gate refuses' },
      }),
    ]);
    expect(await eventsOf('gate-a')).toEqual([]);
  });

  it('sends the success reply in the append that carries it, once', async () => {
    const replies = await answer((manager, reply) => decide(manager, 'gate-b', { type: 'Open' }, reply));
    expect(replies).toEqual([
      expect.objectContaining({
        outcome: 'succeeded',
        result: { linkedAccountIds: ['gate-b'] },
        step: 'link',
      }),
    ]);
    expect(await eventsOf('gate-b')).toEqual(['Opened']);
  });

  it('still replies when the append has nothing to write', async () => {
    await answer((manager) => decide(manager, 'gate-c', { type: 'Open' }));
    const replies = await answer((manager, reply) => decide(manager, 'gate-c', { type: 'Open' }, reply), {
      refusesBeforeWriting: true,
    });
    expect(replies).toEqual([
      expect.objectContaining({ outcome: 'succeeded', result: { linkedAccountIds: ['returned'] } }),
    ]);
  });

  it('answers a refusal without a savepoint when it comes before the replying append', async () => {
    const replies = await answer((manager, reply) => decide(manager, 'gate-d', { type: 'Refuse' }, reply), {
      refusesBeforeWriting: true,
    });
    expect(replies).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(await eventsOf('gate-d')).toEqual([]);
  });

  it('withdraws a reply already queued when a later refusal rolls back to the savepoint', async () => {
    const replies = await answer(async (manager, reply) => {
      await decide(manager, 'gate-e', { type: 'Open' }, reply);
      await decide(manager, 'gate-e', { type: 'Refuse' });
    });
    expect(replies).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(await eventsOf('gate-e')).toEqual([]);
  });

  it('throws a refusal that follows the replying append when there is no savepoint to undo it', async () => {
    await expect(
      answer(
        async (manager, reply) => {
          await decide(manager, 'gate-f', { type: 'Open' }, reply);
          await decide(manager, 'gate-f', { type: 'Refuse' });
        },
        { refusesBeforeWriting: true },
      ),
    ).rejects.toThrow('the gate refuses');
    expect(await eventsOf('gate-f')).toEqual([]);
  });
});
