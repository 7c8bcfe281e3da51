import { v7 as uuidv7 } from 'uuid';
import { eventually, type OrchestratorKit } from './support/orchestrator-kit';
import type { ScriptedParticipants } from './support/scripted-participants';
import type { triggers } from './support/triggers';
import { startScriptedStack, stopScriptedStack } from './support/scripted-stack';

describe('saga engine against PostgreSQL, Redis and the dev broker, with scripted participants', () => {
  let kit: OrchestratorKit;
  let participants: ScriptedParticipants;
  let trigger: ReturnType<typeof triggers>;

  beforeAll(async () => {
    ({ kit, participants, trigger } = await startScriptedStack());
  });

  afterAll(() => stopScriptedStack({ kit, participants }));

  it('connects a virtual broker: verify, provision, link, mark connected', async () => {
    const connectionId = uuidv7();
    await trigger.connectionRequested(connectionId);

    const saga = await kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(participants.typesFor(connectionId)).toEqual([
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'MarkConnectionConnected',
    ]);
    expect(participants.commandsFor(connectionId).at(-1)?.payload).toEqual({
      connectionId,
      linkedAccountIds: [`acc-${connectionId}`],
      virtualAccountIds: [`va-${connectionId}`],
    });
    expect(participants.commandsFor(connectionId).every((command) => command.sagaId === saga.id)).toBe(true);
  });

  it('publishes the life cycle of every saga for other contexts, in order, keyed by saga', async () => {
    const seen: { type: string; payload: { aggregateId: string; step?: string } }[] = [];
    const follower = kit.kafka.consumer({ groupId: `lifecycle-${uuidv7()}`, maxWaitTimeInMs: 50 });
    await follower.connect();
    await follower.subscribe({ topics: ['saga-orchestrator.events'], fromBeginning: true });
    await follower.run({
      eachMessage: async ({ message }) => void seen.push(JSON.parse(String(message.value))),
    });
    const connectionId = uuidv7();
    await trigger.connectionRequested(connectionId);
    const saga = await kit.sagaReaches(connectionId, ['COMPLETED']);

    const mine = await eventually(async () => {
      const events = seen.filter((event) => event.payload.aggregateId === connectionId);
      return events.at(-1)?.type === 'SagaCompleted' ? events : undefined;
    });
    await follower.disconnect();
    expect(mine.map((event) => [event.type, event.payload.step])).toEqual([
      ['SagaStarted', undefined],
      ['SagaStepCompleted', 'issue-data-keys'],
      ['SagaStepCompleted', 'verify-credentials'],
      ['SagaStepCompleted', 'provision-virtual-accounts'],
      ['SagaStepCompleted', 'link-broker-accounts'],
      ['SagaStepCompleted', 'mark-connected'],
      ['SagaCompleted', undefined],
    ]);
    expect(mine[0].payload).toMatchObject({ sagaId: saga.id, sagaType: 'BrokerConnection' });
  });

  it('retries a step refused twice as transient, with backoff, and completes', async () => {
    const connectionId = uuidv7();
    const busy = { code: 'BROKER_UNAVAILABLE', message: 'circuit open', transient: true };
    participants.on('VerifyBrokerCredentials', connectionId, { fail: busy }, 2);
    await trigger.connectionRequested(connectionId);

    const saga = await kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(participants.typesFor(connectionId).slice(0, 4)).toEqual([
      'VerifyBrokerCredentials',
      'VerifyBrokerCredentials',
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
    ]);
    const verify = (await kit.timeline(saga.id)).filter((entry) => entry.step === 'verify-credentials');
    // Each refusal is logged; the step's deadline, set afresh by it, is the backoff before the next send.
    expect(verify.map((entry) => entry.event)).toEqual([
      'sent',
      'failed',
      'timed-out',
      'sent',
      'failed',
      'timed-out',
      'sent',
      'succeeded',
    ]);
  });

  it('records each step in order, traces every command it sent and leaves no deadline behind', async () => {
    const connectionId = uuidv7();
    await trigger.connectionRequested(connectionId);

    const saga = await kit.sagaReaches(connectionId, ['COMPLETED']);
    const timeline = await kit.timeline(saga.id);
    expect(timeline.map((entry) => `${entry.step} ${entry.event}`)).toEqual([
      'issue-data-keys sent',
      'issue-data-keys sent',
      'issue-data-keys succeeded',
      'issue-data-keys succeeded',
      'verify-credentials sent',
      'verify-credentials succeeded',
      'provision-virtual-accounts sent',
      'provision-virtual-accounts succeeded',
      'link-broker-accounts sent',
      'link-broker-accounts succeeded',
      'mark-connected sent',
      'mark-connected succeeded',
    ]);
    const sent = timeline.filter((entry) => entry.event === 'sent');
    const traced = await kit.commandTraces(saga.id);
    expect(traced.map((row) => row.message_id)).toEqual(sent.map((entry) => entry.command_message_id));
    expect(traced.map((row) => row.type)).toEqual(
      participants.received.filter((command) => command.sagaId === saga.id).map((command) => command.type),
    );
    expect(await kit.deadline(saga.id)).toBeUndefined();
  });

  it('disconnects: begins the purge, deletes automations and accounts, cancels orders, purges paper accounts and the connection', async () => {
    const connectionId = uuidv7();
    await trigger.disconnectRequested(connectionId);

    await kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(participants.typesFor(connectionId)).toEqual([
      'BeginConnectionPurge',
      'DeleteAccountAutomations',
      'DeleteBrokerAccounts',
      'CancelOpenOrders',
      'PurgeVirtualAccounts',
      'PurgeConnection',
    ]);
  });

  it('aborts the disconnection with nothing deleted when the connection was reconnected', async () => {
    const connectionId = uuidv7();
    participants.on('BeginConnectionPurge', connectionId, {
      fail: { code: 'CONNECTION_RECONNECTED', message: 'reconnected before the purge began' },
    });
    await trigger.disconnectRequested(connectionId);

    const saga = await kit.sagaReaches(connectionId, ['ABORTED']);
    expect(participants.typesFor(connectionId)).toEqual(['BeginConnectionPurge']);
    expect(saga.failure).toMatchObject({ code: 'CONNECTION_RECONNECTED', step: 'begin-purge' });
  });

  it('deletes a user after one child disconnection saga per connection has completed', async () => {
    const userId = uuidv7();
    const connections = [uuidv7(), uuidv7()];
    participants.owns(userId, connections);
    await trigger.userDeletionRequested(userId);

    const parent = await kit.sagaReaches(userId, ['COMPLETED'], 'UserDeletion');
    const children = await kit.sagas({ parentSagaId: parent.id });
    expect(children.map((child) => [child.aggregate_id, child.status]).sort()).toEqual(
      connections.map((id) => [id, 'COMPLETED']).sort(),
    );
    expect(participants.typesFor(userId)).toEqual([
      'CloseUserConnections',
      'DeleteUserAutomations',
      'DeleteUser',
    ]);
    const deleteUser = participants.commandsFor(userId).at(-1);
    const lastPurge = connections.map((id) =>
      participants.received.findIndex((c) => c.type === 'PurgeConnection' && c.payload.connectionId === id),
    );
    expect(Math.max(...lastPurge)).toBeLessThan(participants.received.indexOf(deleteUser as never));
  });

  it('waits for a disconnection that was already running when the user asked to be deleted', async () => {
    const userId = uuidv7();
    const connectionId = uuidv7();
    const disconnectionId = uuidv7();
    participants.on('BeginConnectionPurge', connectionId, 'hold');
    await trigger.disconnectRequested(connectionId, userId, disconnectionId);
    await eventually(async () => (participants.typesFor(connectionId).length > 0 ? true : undefined));
    participants.on('CloseUserConnections', userId, { succeed: { disconnectionIds: [disconnectionId] } });
    await trigger.userDeletionRequested(userId);
    await eventually(async () => (participants.typesFor(userId).length > 0 ? true : undefined));

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(participants.typesFor(userId)).toEqual(['CloseUserConnections']);
    await participants.release(connectionId);

    await kit.sagaReaches(userId, ['COMPLETED'], 'UserDeletion');
    expect(participants.typesFor(userId)).toEqual([
      'CloseUserConnections',
      'DeleteUserAutomations',
      'DeleteUser',
    ]);
  });

  it('compensates the completed steps in reverse order when a step is refused', async () => {
    const connectionId = uuidv7();
    participants.on('MarkConnectionConnected', connectionId, {
      fail: { code: 'CONNECTION_GONE', message: 'gone' },
    });
    await trigger.connectionRequested(connectionId);

    const saga = await kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(participants.typesFor(connectionId)).toEqual([
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'MarkConnectionConnected',
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
    expect(participants.commandsFor(connectionId).at(-1)?.payload).toEqual({
      connectionId,
      reason: { code: 'CONNECTION_GONE', message: 'gone' },
    });
    expect(saga.failure).toMatchObject({ step: 'mark-connected', code: 'CONNECTION_GONE' });
  });

  it('leaves the saga FAILED for an operator when a compensation is refused', async () => {
    const connectionId = uuidv7();
    participants
      .on('LinkBrokerAccounts', connectionId, { fail: { code: 'BROKER_ACCOUNT_LIMIT', message: 'too many' } })
      .on('PurgeVirtualAccounts', connectionId, { fail: { code: 'STORE_DOWN', message: 'db down' } });
    await trigger.connectionRequested(connectionId);

    const saga = await kit.sagaReaches(connectionId, ['FAILED']);
    expect(saga.failure).toMatchObject({ step: 'provision-virtual-accounts', code: 'STORE_DOWN' });
    expect(participants.typesFor(connectionId).at(-1)).toBe('PurgeVirtualAccounts');
  });

  it('retries a step nobody answers, then compensates it and the steps before it', async () => {
    const connectionId = uuidv7();
    participants.on('LinkBrokerAccounts', connectionId, 'ignore');
    await trigger.connectionRequested(connectionId);

    const saga = await kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(participants.typesFor(connectionId)).toEqual([
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'LinkBrokerAccounts',
      'LinkBrokerAccounts',
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
    const links = participants
      .commandsFor(connectionId)
      .filter((command) => command.type === 'LinkBrokerAccounts');
    expect(new Set(links.map((command) => command.messageId)).size).toBe(3);
    expect(saga.failure).toMatchObject({ code: 'STEP_TIMED_OUT', step: 'link-broker-accounts' });
    const events = (await kit.timeline(saga.id)).filter((entry) => entry.step === 'link-broker-accounts');
    expect(events.map((entry) => entry.event)).toEqual([
      'sent',
      'timed-out',
      'sent',
      'timed-out',
      'sent',
      'timed-out',
    ]);
  });

  it('ignores duplicate replies and late replies to an attempt already retried', async () => {
    const connectionId = uuidv7();
    participants.on('VerifyBrokerCredentials', connectionId, 'hold');
    await trigger.connectionRequested(connectionId);
    await eventually(async () => (participants.commandsFor(connectionId).length === 2 ? true : undefined));
    const [first, second] = participants.commandsFor(connectionId);
    const accounts = {
      accounts: [{ externalAccountId: `va-${connectionId}`, displayName: 'P', currency: 'USD' }],
    };

    await participants.reply(first, { succeed: accounts });
    await participants.reply(second, { succeed: accounts });
    await participants.reply(second, { succeed: accounts });

    const saga = await kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(
      participants.typesFor(connectionId).filter((type) => type === 'ProvisionVirtualAccounts'),
    ).toHaveLength(1);
    const verifyReplies = (await kit.timeline(saga.id)).filter(
      (entry) => entry.step === 'verify-credentials' && entry.event === 'succeeded',
    );
    expect(verifyReplies).toHaveLength(1);
  });

  it('runs one saga per connection at a time: a second one waits until the first has finished', async () => {
    const connectionId = uuidv7();
    participants.on('LinkBrokerAccounts', connectionId, 'hold');
    await trigger.connectionRequested(connectionId);
    await eventually(async () =>
      participants.typesFor(connectionId).includes('LinkBrokerAccounts') ? true : undefined,
    );
    await trigger.disconnectRequested(connectionId);

    const queued = await kit.sagaReaches(connectionId, ['QUEUED'], 'BrokerDisconnection');
    const [running] = await kit.sagas({ aggregateId: connectionId, type: 'BrokerConnection' });
    expect(await kit.lockOwner(connectionId)).toBe(running.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(participants.typesFor(connectionId)).not.toContain('BeginConnectionPurge');
    await participants.release(connectionId);

    await kit.sagaReaches(connectionId, ['COMPLETED'], 'BrokerDisconnection');
    expect(await kit.lockOwner(connectionId)).toBeNull();
    const types = participants.typesFor(connectionId);
    expect(types.indexOf('BeginConnectionPurge')).toBeGreaterThan(types.indexOf('MarkConnectionConnected'));
    expect((await kit.sagas({ aggregateId: connectionId })).map((saga) => [saga.id, saga.status])).toEqual([
      [expect.any(String), 'COMPLETED'],
      [queued.id, 'COMPLETED'],
    ]);
  });
});
