import { v7 as uuidv7 } from 'uuid';
import { eventually } from './support/orchestrator-kit';
import { useScriptedOrchestrator } from './support/scripted-orchestrator';
import type { Answer } from './support/scripted-participants';

describe('saga engine when participants refuse, stay silent, answer twice or race: retries, compensation, one saga per connection', () => {
  const orchestrator = useScriptedOrchestrator();

  const refused = (code: string, message: string, transient?: boolean): Answer => ({
    fail: { code, message, ...(transient && { transient }) },
  });

  it.each<{
    case: string;
    given: [command: string, answer: Answer, times?: number][];
    reaches: 'COMPLETED' | 'COMPENSATED' | 'FAILED';
    sent: string[];
    timeline?: { step: string; events: string[] };
    failure?: { step: string; code: string };
    also?: (connectionId: string) => void;
  }>([
    {
      case: 'retries a step refused twice as transient, with backoff, and completes',
      given: [['VerifyBrokerCredentials', refused('BROKER_UNAVAILABLE', 'circuit open', true), 2]],
      reaches: 'COMPLETED',
      sent: [
        'VerifyBrokerCredentials',
        'VerifyBrokerCredentials',
        'VerifyBrokerCredentials',
        'ProvisionVirtualAccounts',
        'LinkBrokerAccounts',
        'MarkConnectionConnected',
      ],
      // Each refusal is logged; the step's deadline, set afresh by it, is the backoff before the next send.
      timeline: {
        step: 'verify-credentials',
        events: ['sent', 'failed', 'timed-out', 'sent', 'failed', 'timed-out', 'sent', 'succeeded'],
      },
    },
    {
      case: 'compensates the completed steps in reverse order when a step is refused',
      given: [['MarkConnectionConnected', refused('CONNECTION_GONE', 'gone')]],
      reaches: 'COMPENSATED',
      sent: [
        'VerifyBrokerCredentials',
        'ProvisionVirtualAccounts',
        'LinkBrokerAccounts',
        'MarkConnectionConnected',
        'UnlinkBrokerAccounts',
        'PurgeVirtualAccounts',
        'MarkConnectionFailed',
      ],
      failure: { step: 'mark-connected', code: 'CONNECTION_GONE' },
      also: (connectionId) =>
        expect(orchestrator.participants.commandsFor(connectionId).at(-1)?.payload).toEqual({
          connectionId,
          reason: { code: 'CONNECTION_GONE', message: 'gone' },
        }),
    },
    {
      case: 'leaves the saga FAILED for an operator when a compensation is refused',
      given: [
        ['LinkBrokerAccounts', refused('BROKER_ACCOUNT_LIMIT', 'too many')],
        ['PurgeVirtualAccounts', refused('STORE_DOWN', 'db down')],
      ],
      reaches: 'FAILED',
      sent: [
        'VerifyBrokerCredentials',
        'ProvisionVirtualAccounts',
        'LinkBrokerAccounts',
        'PurgeVirtualAccounts',
      ],
      failure: { step: 'provision-virtual-accounts', code: 'STORE_DOWN' },
    },
    {
      case: 'retries a step nobody answers, then compensates it and the steps before it',
      given: [['LinkBrokerAccounts', 'ignore']],
      reaches: 'COMPENSATED',
      sent: [
        'VerifyBrokerCredentials',
        'ProvisionVirtualAccounts',
        'LinkBrokerAccounts',
        'LinkBrokerAccounts',
        'LinkBrokerAccounts',
        'UnlinkBrokerAccounts',
        'PurgeVirtualAccounts',
        'MarkConnectionFailed',
      ],
      timeline: {
        step: 'link-broker-accounts',
        events: ['sent', 'timed-out', 'sent', 'timed-out', 'sent', 'timed-out'],
      },
      failure: { step: 'link-broker-accounts', code: 'STEP_TIMED_OUT' },
      // Each retry is a new message, not a redelivery of the first.
      also: (connectionId) => {
        const links = orchestrator.participants
          .commandsFor(connectionId)
          .filter((command) => command.type === 'LinkBrokerAccounts');
        expect(new Set(links.map((command) => command.messageId)).size).toBe(3);
      },
    },
  ])('$case', async ({ given, reaches, sent, timeline, failure, also }) => {
    const connectionId = uuidv7();
    for (const [command, answer, times] of given)
      orchestrator.participants.on(command, connectionId, answer, times);
    await orchestrator.trigger.connectionRequested(connectionId);

    const saga = await orchestrator.kit.sagaReaches(connectionId, [reaches]);
    expect(orchestrator.participants.typesFor(connectionId)).toEqual(sent);
    if (timeline) {
      const entries = (await orchestrator.kit.timeline(saga.id)).filter(
        (entry) => entry.step === timeline.step,
      );
      expect(entries.map((entry) => entry.event)).toEqual(timeline.events);
    }
    if (failure) expect(saga.failure).toMatchObject(failure);
    also?.(connectionId);
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
