import { SagaScript } from './testing/saga-script';
import { userDeletionSaga } from '../sagas/user-deletion.saga';
import { lifecycleEvents, type PersistedSaga } from './saga-messages';
import type { SagaState } from './saga-state';

const saga: PersistedSaga = {
  id: 'saga-1',
  aggregate_id: 'user-1',
  status: 'RUNNING',
  parent_saga_id: null,
  child_key: null,
  correlation_id: 'corr-1',
  user_id: 'user-1',
};
const at = '2026-01-01T00:00:00.000Z';
const requested = { userId: 'user-1', requestedAt: at };

/** Plays a script and names the life-cycle events of each transition it went through. */
function eventsAlong(steps: (script: SagaScript) => SagaScript): string[][] {
  const script = SagaScript.given(userDeletionSaga, requested, 'saga-1');
  const started: SagaState = script.current;
  const ended = steps(script).current;
  return [
    lifecycleEvents(userDeletionSaga, saga, null, started, at).map((e) => e.type),
    lifecycleEvents(userDeletionSaga, saga, started, ended, at).map((e) => e.type),
  ];
}

describe('saga life-cycle events', () => {
  it('announces the start, each step that did something, and the end', () => {
    const [started, finished] = eventsAlong((script) =>
      script
        .whenSucceeded({ disconnectionIds: [] })
        .whenSucceeded({ deletedAutomationIds: [] })
        .whenSucceeded(),
    );
    expect(started).toEqual(['SagaStarted']);
    expect(finished).toEqual([
      'SagaStepCompleted',
      'SagaStepCompleted',
      'SagaStepCompleted',
      'SagaCompleted',
    ]);
  });

  it('announces compensating before compensated, with the failure, even in one transition', () => {
    const script = SagaScript.given(userDeletionSaga, requested, 'saga-1');
    const running = script.current;
    script
      .whenSucceeded({ disconnectionIds: ['d-1'] })
      .whenChildFinished('d-1', 'COMPENSATED')
      .whenSucceeded({ disconnectionIds: ['d-2'] })
      .whenChildFinished('d-2', 'COMPENSATED');
    const compensating = lifecycleEvents(userDeletionSaga, saga, running, script.current, at);
    expect(compensating.map((e) => e.type)).toEqual(['SagaCompensating']);
    expect(compensating[0].payload).toMatchObject({
      sagaType: 'UserDeletion',
      aggregateId: 'user-1',
      failure: { step: 'close-connections', kind: 'child-failed' },
    });
    const undoing = script.current;
    script.whenSucceeded().whenSucceeded();
    expect(lifecycleEvents(userDeletionSaga, saga, undoing, script.current, at).map((e) => e.type)).toEqual([
      'SagaCompensated',
    ]);
  });

  it('announces a saga stopped for an operator as failed, without compensating', () => {
    const held = { ...userDeletionSaga, deadline: { afterMs: 1000, then: 'fail' as const } };
    const script = SagaScript.given(held, requested, 'saga-1');
    const running = script.current;
    script.whenSagaDeadlinePassed(1000).expectStatus('FAILED');
    const events = lifecycleEvents(held, saga, running, script.current, at);
    expect(events.map((e) => e.type)).toEqual(['SagaFailed']);
    expect(events[0].payload).toMatchObject({ failure: { kind: 'expired', code: 'SAGA_DEADLINE_PASSED' } });
  });
});
