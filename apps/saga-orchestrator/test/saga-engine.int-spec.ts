import { v7 as uuidv7 } from 'uuid';
import { eventually } from './support/orchestrator-kit';
import { useScriptedOrchestrator } from './support/scripted-orchestrator';

describe('saga engine against PostgreSQL, Redis and the dev broker, with scripted participants', () => {
  const orchestrator = useScriptedOrchestrator();

  it('connects a virtual broker: verify, provision, link, mark connected', async () => {
    const connectionId = uuidv7();
    await orchestrator.trigger.connectionRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(orchestrator.participants.typesFor(connectionId)).toEqual([
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'MarkConnectionConnected',
    ]);
    expect(orchestrator.participants.commandsFor(connectionId).at(-1)?.payload).toEqual({
      connectionId,
      linkedAccountIds: [`acc-${connectionId}`],
      virtualAccountIds: [`va-${connectionId}`],
    });
    expect(
      orchestrator.participants.commandsFor(connectionId).every((command) => command.sagaId === saga.id),
    ).toBe(true);
  });

  it('publishes the life cycle of every saga for other contexts, in order, keyed by saga', async () => {
    const seen: { type: string; payload: { aggregateId: string; step?: string } }[] = [];
    const follower = orchestrator.kit.kafka.consumer({
      groupId: `lifecycle-${uuidv7()}`,
      maxWaitTimeInMs: 50,
    });
    await follower.connect();
    await follower.subscribe({ topics: ['saga-orchestrator.events'], fromBeginning: true });
    await follower.run({
      eachMessage: async ({ message }) => void seen.push(JSON.parse(String(message.value))),
    });
    const connectionId = uuidv7();
    await orchestrator.trigger.connectionRequested(connectionId);
    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);

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

  it('records each step in order, traces every command it sent and leaves no deadline behind', async () => {
    const connectionId = uuidv7();
    await orchestrator.trigger.connectionRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);
    const timeline = await orchestrator.kit.timeline(saga.id);
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
    const traced = await orchestrator.kit.commandTraces(saga.id);
    expect(traced.map((row) => row.message_id)).toEqual(sent.map((entry) => entry.command_message_id));
    expect(traced.map((row) => row.type)).toEqual(
      orchestrator.participants.received
        .filter((command) => command.sagaId === saga.id)
        .map((command) => command.type),
    );
    expect(await orchestrator.kit.deadline(saga.id)).toBeUndefined();
  });

  it('disconnects: begins the purge, deletes automations and accounts, cancels orders, purges paper accounts and the connection', async () => {
    const connectionId = uuidv7();
    await orchestrator.trigger.disconnectRequested(connectionId);

    await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(orchestrator.participants.typesFor(connectionId)).toEqual([
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
    orchestrator.participants.on('BeginConnectionPurge', connectionId, {
      fail: { code: 'CONNECTION_RECONNECTED', message: 'reconnected before the purge began' },
    });
    await orchestrator.trigger.disconnectRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['ABORTED']);
    expect(orchestrator.participants.typesFor(connectionId)).toEqual(['BeginConnectionPurge']);
    expect(saga.failure).toMatchObject({ code: 'CONNECTION_RECONNECTED', step: 'begin-purge' });
  });

  it('deletes a user after one child disconnection saga per connection has completed', async () => {
    const userId = uuidv7();
    const connections = [uuidv7(), uuidv7()];
    orchestrator.participants.owns(userId, connections);
    await orchestrator.trigger.userDeletionRequested(userId);

    const parent = await orchestrator.kit.sagaReaches(userId, ['COMPLETED'], 'UserDeletion');
    const children = await orchestrator.kit.sagas({ parentSagaId: parent.id });
    expect(children.map((child) => [child.aggregate_id, child.status]).sort()).toEqual(
      connections.map((id) => [id, 'COMPLETED']).sort(),
    );
    expect(orchestrator.participants.typesFor(userId)).toEqual([
      'CloseUserConnections',
      'DeleteUserAutomations',
      'DeleteUser',
    ]);
    const deleteUser = orchestrator.participants.commandsFor(userId).at(-1);
    const lastPurge = connections.map((id) =>
      orchestrator.participants.received.findIndex(
        (c) => c.type === 'PurgeConnection' && c.payload.connectionId === id,
      ),
    );
    expect(Math.max(...lastPurge)).toBeLessThan(
      orchestrator.participants.received.indexOf(deleteUser as never),
    );
  });

  it('waits for a disconnection that was already running when the user asked to be deleted', async () => {
    const userId = uuidv7();
    const connectionId = uuidv7();
    const disconnectionId = uuidv7();
    orchestrator.participants.on('BeginConnectionPurge', connectionId, 'hold');
    await orchestrator.trigger.disconnectRequested(connectionId, userId, disconnectionId);
    await eventually(async () =>
      orchestrator.participants.typesFor(connectionId).length > 0 ? true : undefined,
    );
    orchestrator.participants.on('CloseUserConnections', userId, {
      succeed: { disconnectionIds: [disconnectionId] },
    });
    await orchestrator.trigger.userDeletionRequested(userId);
    await eventually(async () => (orchestrator.participants.typesFor(userId).length > 0 ? true : undefined));

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(orchestrator.participants.typesFor(userId)).toEqual(['CloseUserConnections']);
    await orchestrator.participants.release(connectionId);

    await orchestrator.kit.sagaReaches(userId, ['COMPLETED'], 'UserDeletion');
    expect(orchestrator.participants.typesFor(userId)).toEqual([
      'CloseUserConnections',
      'DeleteUserAutomations',
      'DeleteUser',
    ]);
  });
});
