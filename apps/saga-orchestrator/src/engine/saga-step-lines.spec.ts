import { configureOperationsLog } from '@tradecore/eventing';
import { capturingLogger } from '@tradecore/eventing/testing';
import {
  connectionFromFirstRiskyStep as definition,
  connectionRequested,
} from '../sagas/test/broker-connection.fixtures';
import { applyInput, startSaga } from './saga-machine';
import type { PersistedSaga } from './saga-messages';
import { withSentIds } from './saga-state';
import { logStepTransitions } from './saga-step-lines';

const saga = (status: PersistedSaga['status'], movedMsAgo?: number): PersistedSaga => ({
  id: 'saga-1',
  aggregate_id: 'conn-1',
  status,
  parent_saga_id: null,
  child_key: null,
  correlation_id: 'corr-1',
  user_id: 'user-1',
  ...(movedMsAgo !== undefined && { updated_at: new Date(Date.now() - movedMsAgo) }),
});

describe('saga step log lines', () => {
  const context = definition.start(connectionRequested(), 'saga-1').context;

  it('given a saga starting, logs its first step sent and its new status', () => {
    const { logger, lines } = capturingLogger();
    configureOperationsLog({ logger });

    logStepTransitions(definition, saga('RUNNING'), startSaga(definition, context), null);

    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        sagaId: 'saga-1',
        sagaType: definition.type,
        step: 'verify-credentials',
        attempt: 1,
        outcome: 'sent',
        durationMs: 0,
      }),
      expect.objectContaining({ sagaId: 'saga-1', from: null, status: 'RUNNING' }),
    ]);
  });

  it('given a refused step, warns with its attempt, outcome and how long it waited', () => {
    const { logger, lines } = capturingLogger();
    configureOperationsLog({ logger });
    const running = withSentIds(startSaga(definition, context).state, ['cmd-1']);

    const refused = applyInput(definition, running, {
      type: 'ReplyReceived',
      step: 'verify-credentials',
      commandMessageId: 'cmd-1',
      outcome: 'failed',
      reason: { code: 'INVALID_CREDENTIALS', message: 'the broker refused the key' },
    });
    logStepTransitions(definition, saga('RUNNING', 250), refused, running);

    const failed = lines().find((line) => line.outcome === 'failed');
    expect(failed).toMatchObject({
      level: 'warn',
      message: `saga ${definition.type} saga-1 step verify-credentials attempt 1: failed`,
      step: 'verify-credentials',
      attempt: 1,
    });
    expect(failed?.durationMs).toBeGreaterThanOrEqual(250);
    expect(lines()).toContainEqual(
      expect.objectContaining({ from: 'RUNNING', status: refused.state.status }),
    );
  });
});
