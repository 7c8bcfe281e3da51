import {
  connectionFromFirstRiskyStep as saga,
  connectionRequested,
} from '../sagas/test/broker-connection.fixtures';
import { SagaRuleError } from './saga-state';
import { SagaScript } from './testing/saga-script';

const requested = connectionRequested();
const accounts = { accounts: [{ externalAccountId: 'PA-1', displayName: 'A', currency: 'USD' }] };

describe('saga machine', () => {
  it('ignores a reply it has already taken', () => {
    const script = SagaScript.given(saga, requested);
    const [verify] = script.waiting();
    script.whenSucceeded(accounts).expectCommands('LinkBrokerAccounts');

    script.whenRepliedAgain(verify.commandMessageId, verify.step).expectNoCommand();
    expect(script.ignored).toContain(verify.commandMessageId);
  });

  it('ignores a late reply to an attempt it has already retried', () => {
    const script = SagaScript.given(saga, requested);
    const [first] = script.waiting();
    script.whenTimedOut().expectCommands('VerifyBrokerCredentials');

    script.whenRepliedAgain(first.commandMessageId, first.step).expectNoCommand();
    expect(script.current.cursor).toMatchObject({ step: 1, attempt: 2 });
    script.whenSucceeded(accounts).expectCommands('LinkBrokerAccounts');
  });

  it('ignores a deadline for an attempt that was answered', () => {
    const script = SagaScript.given(saga, requested).whenSucceeded(accounts);
    script.when({ type: 'DeadlinePassed', step: 'verify-credentials', attempt: 1 }).expectNoCommand();
    expect(script.ignored).toBeDefined();
  });

  it('lets an operator retry a refused compensation with a fresh attempt budget', () => {
    SagaScript.given(saga, requested)
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
    SagaScript.given(saga, requested)
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
    const script = SagaScript.given(saga, requested)
      .when({ type: 'AbortRequested', reason: 'test data' })
      .expectNoCommand()
      .expectStatus('ABORTED');
    expect(() => script.when({ type: 'AbortRequested', reason: 'again' })).toThrow(SagaRuleError);
    expect(() => script.when({ type: 'CompensateRequested', reason: 'x' })).toThrow('only a RUNNING saga');
  });

  it('rolls a saga back when it runs past its deadline as a whole, undoing the step in flight', () => {
    SagaScript.given(saga, requested)
      .whenSucceeded(accounts)
      .whenSagaDeadlinePassed(300_000)
      .expectCommand('UnlinkBrokerAccounts', { connectionId: 'conn-1' })
      .whenSucceeded()
      .expectCommand('MarkConnectionFailed', {
        connectionId: 'conn-1',
        reason: {
          code: 'SAGA_DEADLINE_PASSED',
          message: 'the BrokerConnection saga did not finish within 300000 ms',
        },
      });
  });

  it('lets the deadline as a whole pass unnoticed once the saga is compensating', () => {
    const script = SagaScript.given(saga, requested)
      .whenFailed('INVALID_CREDENTIALS')
      .whenSagaDeadlinePassed()
      .expectNoCommand()
      .expectStatus('COMPENSATING');
    expect(script.ignored).toContain('COMPENSATING');
  });

  it('stops a saga whose deadline is declared to fail, for an operator to retry', () => {
    const held = { ...saga, deadline: { afterMs: 1000, then: 'fail' as const } };
    const script = SagaScript.given(held, requested);
    const [late] = script.waiting();
    script.whenSagaDeadlinePassed(1000).expectNoCommand().expectStatus('FAILED').expectDeadline(null);
    expect(script.current.failure).toMatchObject({ kind: 'expired', step: 'verify-credentials' });

    script.whenRepliedAgain(late.commandMessageId, late.step).expectStatus('FAILED');
    script
      .when({ type: 'RetryRequested' })
      .expectCommands('VerifyBrokerCredentials')
      .expectStatus('RUNNING')
      .whenSucceeded(accounts)
      .expectCommands('LinkBrokerAccounts');
  });

  it('lets an operator compensate a saga stopped going forward', () => {
    const held = { ...saga, deadline: { afterMs: 1000, then: 'fail' as const } };
    SagaScript.given(held, requested)
      .whenSucceeded(accounts)
      .whenSagaDeadlinePassed(1000)
      .when({ type: 'CompensateRequested', reason: 'broker gone' })
      .expectCommand('UnlinkBrokerAccounts', { connectionId: 'conn-1' })
      .expectStatus('COMPENSATING');
  });

  it('stops for an operator when a step declared to fail on timeout stays silent through its attempts', () => {
    const steps = saga.steps.map((step) => ({ ...step, onTimeout: 'fail' as const }));
    const script = SagaScript.given({ ...saga, steps }, requested);
    for (let attempt = 1; attempt <= 3; attempt += 1) script.whenTimedOut();
    script.expectNoCommand().expectStatus('FAILED');
    expect(script.current.failure).toMatchObject({ code: 'STEP_TIMED_OUT', step: 'verify-credentials' });
  });

  it('keeps the clock of an attempt running across a transient refusal', () => {
    SagaScript.given(saga, requested)
      .expectDeadline('verify-credentials', 15_000)
      .whenFailedTransiently('BROKER_TIMEOUT')
      .expectNoCommand()
      .expectDeadline('verify-credentials', 15_000)
      .whenTimedOut()
      .expectCommands('VerifyBrokerCredentials');
  });
});
