import { v7 as uuidv7 } from 'uuid';
import type { OrchestratorKit } from './support/orchestrator-kit';
import type { ScriptedParticipants } from './support/scripted-participants';
import type { triggers } from './support/triggers';
import { startScriptedStack, stopScriptedStack } from './support/scripted-stack';

// A parent never waits for ever: a child that ends badly is asked for again, then the parent rolls back;
// a saga past its deadline as a whole rolls back whatever it waits for.
describe('saga deadlines and failed children, against PostgreSQL, Redis and the dev broker', () => {
  let kit: OrchestratorKit;
  let participants: ScriptedParticipants;
  let trigger: ReturnType<typeof triggers>;

  beforeAll(async () => {
    // Scaled by the kit's 0.1: a UserDeletion has 6 s as a whole, a child's silent first step 7 s.
    ({ kit, participants, trigger } = await startScriptedStack({ SAGA_DEADLINES_MS: 'UserDeletion=60000' }));
  });

  afterAll(() => stopScriptedStack({ kit, participants }));

  const cancellationOf = (userId: string) =>
    participants.commandsFor(userId).find((command) => command.type === 'CancelUserDeletion')?.payload;

  it('asks for a rolled-back child disconnection once more, and deletes the user when it completes', async () => {
    const userId = uuidv7();
    const connectionId = uuidv7();
    participants.owns(userId, [connectionId]);
    participants.on(
      'BeginConnectionPurge',
      connectionId,
      { fail: { code: 'STORE_DOWN', message: 'db down' } },
      1,
    );
    await trigger.userDeletionRequested(userId);

    const parent = await kit.sagaReaches(userId, ['COMPLETED'], 'UserDeletion');
    expect(participants.typesFor(userId)).toEqual([
      'CloseUserConnections',
      'CloseUserConnections',
      'DeleteUserAutomations',
      'DeleteUser',
    ]);
    const children = await kit.sagas({ parentSagaId: parent.id });
    expect(children.map((child) => child.status)).toEqual(['COMPENSATED', 'COMPLETED']);
  });

  it('reopens the account, saying why, when the child ends FAILED twice', async () => {
    const userId = uuidv7();
    const connectionId = uuidv7();
    participants.owns(userId, [connectionId]);
    participants
      .on('DeleteBrokerAccounts', connectionId, { fail: { code: 'ACCOUNT_LOCKED', message: 'locked' } })
      .on('RestoreConnection', connectionId, { fail: { code: 'STORE_DOWN', message: 'db down' } });
    await trigger.userDeletionRequested(userId);

    const parent = await kit.sagaReaches(userId, ['COMPENSATED'], 'UserDeletion');
    expect(participants.typesFor(userId)).toEqual([
      'CloseUserConnections',
      'CloseUserConnections',
      'ReopenUserConnections',
      'CancelUserDeletion',
    ]);
    expect((await kit.sagas({ parentSagaId: parent.id })).map((child) => child.status)).toEqual([
      'FAILED',
      'FAILED',
    ]);
    expect(cancellationOf(userId)).toMatchObject({
      reason: { code: 'USER_DELETION_CANCELLED', message: expect.stringContaining('ended FAILED') },
    });
  });

  it('rolls a deletion back at its deadline as a whole while a child never answers', async () => {
    const userId = uuidv7();
    const connectionId = uuidv7();
    participants.owns(userId, [connectionId]);
    participants.on('BeginConnectionPurge', connectionId, 'ignore');
    await trigger.userDeletionRequested(userId);

    const parent = await kit.sagaReaches(userId, ['COMPENSATED'], 'UserDeletion');
    expect(parent.failure).toMatchObject({ kind: 'expired', code: 'SAGA_DEADLINE_PASSED' });
    expect(cancellationOf(userId)).toMatchObject({
      reason: { message: expect.stringContaining('did not finish within 6000 ms') },
    });
    const timeline = await kit.timeline(parent.id);
    expect(timeline.map((entry) => [entry.step, entry.event])).toContainEqual(['saga', 'timed-out']);
    expect(await kit.deadline(parent.id)).toBeUndefined();
  });
});
