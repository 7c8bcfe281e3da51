import { brokerConnectionSaga } from '../sagas/broker-connection.saga';
import { SagaRuleError } from './saga-state';
import { SagaScript } from './testing/saga-script';

const requested = {
  connectionId: 'conn-1',
  userId: 'user-1',
  broker: 'alpaca' as const,
  mode: 'paper' as const,
  requestedAt: '2026-01-01T00:00:00.000Z',
};
const accounts = { accounts: [{ externalAccountId: 'PA-1', displayName: 'A', currency: 'USD' }] };

describe('saga machine', () => {
  it('ignores a reply it has already taken', () => {
    const script = SagaScript.given(brokerConnectionSaga, requested);
    const [verify] = script.waiting();
    script.whenSucceeded(accounts).expectCommands('LinkBrokerAccounts');

    script.whenRepliedAgain(verify.commandMessageId, verify.step).expectNoCommand();
    expect(script.ignored).toContain(verify.commandMessageId);
  });

  it('ignores a late reply to an attempt it has already retried', () => {
    const script = SagaScript.given(brokerConnectionSaga, requested);
    const [first] = script.waiting();
    script.whenTimedOut().expectCommands('VerifyBrokerCredentials');

    script.whenRepliedAgain(first.commandMessageId, first.step).expectNoCommand();
    expect(script.current.cursor).toMatchObject({ step: 1, attempt: 2 });
    script.whenSucceeded(accounts).expectCommands('LinkBrokerAccounts');
  });

  it('ignores a deadline for an attempt that was answered', () => {
    const script = SagaScript.given(brokerConnectionSaga, requested).whenSucceeded(accounts);
    script.when({ type: 'DeadlinePassed', step: 'verify-credentials', attempt: 1 }).expectNoCommand();
    expect(script.ignored).toBeDefined();
  });

  it('lets an operator retry a refused compensation with a fresh attempt budget', () => {
    SagaScript.given(brokerConnectionSaga, requested)
      .whenFailed('INVALID_CREDENTIALS')
      .whenFailed('DB_DOWN')
      .expectStatus('FAILED')
      .when({ type: 'RetryRequested' })
      .expectCommands('MarkConnectionFailed')
      .expectStatus('COMPENSATING')
      .whenSucceeded()
      .expectStatus('COMPENSATED');
  });

  it('lets an operator compensate a running saga, undoing the step in flight too', () => {
    SagaScript.given(brokerConnectionSaga, requested)
      .whenSucceeded(accounts)
      .when({ type: 'CompensateRequested', reason: 'broker outage' })
      .expectCommand('UnlinkBrokerAccounts', { connectionId: 'conn-1' })
      .whenSucceeded()
      .expectCommand('MarkConnectionFailed', {
        connectionId: 'conn-1',
        reason: { code: 'COMPENSATION_REQUESTED', message: 'broker outage' },
      });
  });

  it('lets an operator abort, after which nothing is sent and replies are ignored', () => {
    const script = SagaScript.given(brokerConnectionSaga, requested)
      .when({ type: 'AbortRequested', reason: 'test data' })
      .expectNoCommand()
      .expectStatus('ABORTED');
    expect(() => script.when({ type: 'AbortRequested', reason: 'again' })).toThrow(SagaRuleError);
    expect(() => script.when({ type: 'CompensateRequested', reason: 'x' })).toThrow('only a RUNNING saga');
  });
});
