import { v7 as uuidv7 } from 'uuid';
import { eventually } from './support/orchestrator-kit';
import { useScriptedOrchestrator } from './support/scripted-orchestrator';

describe('saga engine when participants refuse, stay silent, answer twice or race: retries, compensation, one saga per connection', () => {
  const orchestrator = useScriptedOrchestrator();

  it('retries a step refused twice as transient, with backoff, and completes', async () => {
    const connectionId = uuidv7();
    const busy = { code: 'BROKER_UNAVAILABLE', message: 'circuit open', transient: true };
    orchestrator.participants.on('VerifyBrokerCredentials', connectionId, { fail: busy }, 2);
    await orchestrator.trigger.connectionRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(orchestrator.participants.typesFor(connectionId).slice(0, 4)).toEqual([
      'VerifyBrokerCredentials',
      'VerifyBrokerCredentials',
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
    ]);
    const verify = (await orchestrator.kit.timeline(saga.id)).filter(
      (entry) => entry.step === 'verify-credentials',
    );
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

  it('compensates the completed steps in reverse order when a step is refused', async () => {
    const connectionId = uuidv7();
    orchestrator.participants.on('MarkConnectionConnected', connectionId, {
      fail: { code: 'CONNECTION_GONE', message: 'gone' },
    });
    await orchestrator.trigger.connectionRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(orchestrator.participants.typesFor(connectionId)).toEqual([
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'MarkConnectionConnected',
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
    expect(orchestrator.participants.commandsFor(connectionId).at(-1)?.payload).toEqual({
      connectionId,
      reason: { code: 'CONNECTION_GONE', message: 'gone' },
    });
    expect(saga.failure).toMatchObject({ step: 'mark-connected', code: 'CONNECTION_GONE' });
  });

  it('leaves the saga FAILED for an operator when a compensation is refused', async () => {
    const connectionId = uuidv7();
    orchestrator.participants
      .on('LinkBrokerAccounts', connectionId, { fail: { code: 'BROKER_ACCOUNT_LIMIT', message: 'too many' } })
      .on('PurgeVirtualAccounts', connectionId, { fail: { code: 'STORE_DOWN', message: 'db down' } });
    await orchestrator.trigger.connectionRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['FAILED']);
    expect(saga.failure).toMatchObject({ step: 'provision-virtual-accounts', code: 'STORE_DOWN' });
    expect(orchestrator.participants.typesFor(connectionId).at(-1)).toBe('PurgeVirtualAccounts');
  });

  it('retries a step nobody answers, then compensates it and the steps before it', async () => {
    const connectionId = uuidv7();
    orchestrator.participants.on('LinkBrokerAccounts', connectionId, 'ignore');
    await orchestrator.trigger.connectionRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPENSATED']);
    expect(orchestrator.participants.typesFor(connectionId)).toEqual([
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'LinkBrokerAccounts',
      'LinkBrokerAccounts',
      'UnlinkBrokerAccounts',
      'PurgeVirtualAccounts',
      'MarkConnectionFailed',
    ]);
    const links = orchestrator.participants
      .commandsFor(connectionId)
      .filter((command) => command.type === 'LinkBrokerAccounts');
    expect(new Set(links.map((command) => command.messageId)).size).toBe(3);
    expect(saga.failure).toMatchObject({ code: 'STEP_TIMED_OUT', step: 'link-broker-accounts' });
    const events = (await orchestrator.kit.timeline(saga.id)).filter(
      (entry) => entry.step === 'link-broker-accounts',
    );
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
    orchestrator.participants.on('VerifyBrokerCredentials', connectionId, 'hold');
    await orchestrator.trigger.connectionRequested(connectionId);
    await eventually(async () =>
      orchestrator.participants.commandsFor(connectionId).length === 2 ? true : undefined,
    );
    const [first, second] = orchestrator.participants.commandsFor(connectionId);
    const accounts = {
      accounts: [{ externalAccountId: `va-${connectionId}`, displayName: 'P', currency: 'USD' }],
    };

    await orchestrator.participants.reply(first, { succeed: accounts });
    await orchestrator.participants.reply(second, { succeed: accounts });
    await orchestrator.participants.reply(second, { succeed: accounts });

    const saga = await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);
    expect(
      orchestrator.participants.typesFor(connectionId).filter((type) => type === 'ProvisionVirtualAccounts'),
    ).toHaveLength(1);
    const verifyReplies = (await orchestrator.kit.timeline(saga.id)).filter(
      (entry) => entry.step === 'verify-credentials' && entry.event === 'succeeded',
    );
    expect(verifyReplies).toHaveLength(1);
  });

  it('runs one saga per connection at a time: a second one waits until the first has finished', async () => {
    const connectionId = uuidv7();
    orchestrator.participants.on('LinkBrokerAccounts', connectionId, 'hold');
    await orchestrator.trigger.connectionRequested(connectionId);
    await eventually(async () =>
      orchestrator.participants.typesFor(connectionId).includes('LinkBrokerAccounts') ? true : undefined,
    );
    await orchestrator.trigger.disconnectRequested(connectionId);

    const queued = await orchestrator.kit.sagaReaches(connectionId, ['QUEUED'], 'BrokerDisconnection');
    const [running] = await orchestrator.kit.sagas({ aggregateId: connectionId, type: 'BrokerConnection' });
    expect(await orchestrator.kit.lockOwner(connectionId)).toBe(running.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(orchestrator.participants.typesFor(connectionId)).not.toContain('BeginConnectionPurge');
    await orchestrator.participants.release(connectionId);

    await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED'], 'BrokerDisconnection');
    expect(await orchestrator.kit.lockOwner(connectionId)).toBeNull();
    const types = orchestrator.participants.typesFor(connectionId);
    expect(types.indexOf('BeginConnectionPurge')).toBeGreaterThan(types.indexOf('MarkConnectionConnected'));
    expect(
      (await orchestrator.kit.sagas({ aggregateId: connectionId })).map((saga) => [saga.id, saga.status]),
    ).toEqual([
      [expect.any(String), 'COMPLETED'],
      [queued.id, 'COMPLETED'],
    ]);
  });
});
