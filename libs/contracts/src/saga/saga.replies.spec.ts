import type { MessageOnTopic } from '../topics';
import type { SagaReply } from './saga.replies';

const origin = { sagaId: 's-1', step: 'verify', commandMessageId: 'm-1' } as const;

describe('SagaReply', () => {
  it('types the result of a successful reply by the command it answers', () => {
    const reply: SagaReply<'VerifyBrokerCredentials'> = {
      type: 'SagaReply',
      schemaVersion: 1,
      payload: {
        ...origin,
        commandType: 'VerifyBrokerCredentials',
        outcome: 'succeeded',
        result: { accounts: [{ externalAccountId: 'PA-1', displayName: 'Paper', currency: 'USD' }] },
      },
    };
    const incomplete: SagaReply<'LinkBrokerAccounts'> = {
      type: 'SagaReply',
      schemaVersion: 1,
      // @ts-expect-error a successful reply must carry the command's result
      payload: { ...origin, commandType: 'LinkBrokerAccounts', outcome: 'succeeded', result: {} },
    };

    expect(reply.payload.outcome === 'succeeded' && reply.payload.result.accounts).toHaveLength(1);
    expect(incomplete.payload.commandType).toBe('LinkBrokerAccounts');
  });

  it('gives a failed reply a reason code instead of a result', () => {
    const reply: MessageOnTopic<'saga.replies'> = {
      type: 'SagaReply',
      schemaVersion: 1,
      payload: {
        ...origin,
        commandType: 'BeginConnectionPurge',
        outcome: 'failed',
        reason: { code: 'CONNECTION_RECONNECTED', message: 'reconnected at 10:02' },
      },
    };

    expect(reply.payload.outcome === 'failed' && reply.payload.reason.code).toBe('CONNECTION_RECONNECTED');
  });
});
