import { v7 as uuidv7 } from 'uuid';
import { eventually, type OrchestratorKit } from './support/orchestrator-kit';
import type { ScriptedParticipants } from './support/scripted-participants';
import type { triggers } from './support/triggers';
import { startScriptedParticipants, stopScriptedStack } from './support/scripted-stack';

describe('saga engine across restarts and replicas', () => {
  let kit: OrchestratorKit;
  let participants: ScriptedParticipants;
  let trigger: ReturnType<typeof triggers>;

  beforeAll(async () => {
    ({ kit, participants, trigger } = await startScriptedParticipants());
  });

  afterAll(() => stopScriptedStack({ kit, participants }));

  it('resumes a saga from its durable state after the orchestrator was stopped mid-step', async () => {
    const first = await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '1' });
    const connectionId = uuidv7();
    participants.on('LinkBrokerAccounts', connectionId, 'hold');
    await trigger.connectionRequested(connectionId);
    await eventually(async () =>
      participants.typesFor(connectionId).includes('LinkBrokerAccounts') ? true : undefined,
    );

    await kit.stopOrchestrator(first);
    await participants.release(connectionId);
    const second = await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '1' });

    await kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(participants.typesFor(connectionId)).toEqual([
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'MarkConnectionConnected',
    ]);
    await kit.stopOrchestrator(second);
  });

  it('retries a step whose deadline passed while no orchestrator was running', async () => {
    const first = await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '0.1' });
    const connectionId = uuidv7();
    participants.on('VerifyBrokerCredentials', connectionId, 'ignore', 1);
    await trigger.connectionRequested(connectionId);
    await eventually(async () => (participants.typesFor(connectionId).length === 1 ? true : undefined));
    await kit.stopOrchestrator(first);
    await new Promise((resolve) => setTimeout(resolve, 1600));

    const second = await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '0.1' });
    await kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(participants.typesFor(connectionId).slice(0, 2)).toEqual([
      'VerifyBrokerCredentials',
      'VerifyBrokerCredentials',
    ]);
    await kit.stopOrchestrator(second);
  });

  it('never sends a step twice with two orchestrators sharing the work', async () => {
    const replicas = [
      await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '1' }),
      await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '1' }),
    ];
    const before = participants.received.length;
    const connections = Array.from({ length: 8 }, () => uuidv7());
    const users = [uuidv7(), uuidv7()];
    await Promise.all(connections.map((id) => trigger.connectionRequested(id)));
    for (const userId of users) participants.owns(userId, [uuidv7(), uuidv7()]);
    await Promise.all(users.map((userId) => trigger.userDeletionRequested(userId)));

    for (const id of connections) await kit.sagaReaches(id, ['COMPLETED']);
    for (const userId of users) await kit.sagaReaches(userId, ['COMPLETED'], 'UserDeletion');

    // Under load a reply can miss its step's timeout and the step is retried: that is a new
    // attempt, not a double send. What must never happen is one attempt sent twice, or a command
    // on the wire that the engine did not record as sent exactly once.
    const sent = participants.received.slice(before);
    const log = await kit.sentLog();
    // A step may fan out to several participants: a command is told apart by its type and target.
    const targetOf = new Map(
      sent.map((command) => [command.messageId, `${command.type} ${command.payload.connectionId ?? ''}`]),
    );
    const attempts = new Map<string, number>();
    for (const row of log.filter((entry) => targetOf.has(entry.command_message_id))) {
      const key = `${row.saga_id}/${row.step}/${row.phase}/${row.attempt}/${targetOf.get(row.command_message_id)}`;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
    }
    expect([...attempts].filter(([, count]) => count > 1)).toEqual([]);
    const logged = new Set(log.map((row) => row.command_message_id));
    expect(sent.filter((command) => !logged.has(command.messageId))).toEqual([]);
    expect(new Set(sent.map((command) => command.messageId)).size).toBe(sent.length);
    // 6 commands per connection (two keys, 4 steps); per user one close, 6 steps in each of 2 child sagas, the user's automations and DeleteUser.
    expect(sent.length).toBeGreaterThanOrEqual(connections.length * 6 + users.length * (1 + 2 * 6 + 2));
    for (const replica of replicas) await kit.stopOrchestrator(replica);
  });
});
