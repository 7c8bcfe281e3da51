import type { SagaDefinition, SagaFailure, SagaStep } from './saga-definition';
import { type Draft, entryOf, finish, ignore, logOf, operatorLog, stepName, timeoutOf } from './saga-draft';
import {
  attemptsLeft,
  compensationFailed,
  enterForward,
  fail,
  holdForOperator,
  nextCompensation,
  rerun,
  resend,
} from './saga-moves';
import { type SagaInput, SagaRuleError, type SagaState, type SagaTransition } from './saga-state';

// Pure: every decision the engine persists comes from here, so definitions are tested without I/O.

export function startSaga(definition: SagaDefinition, context: unknown): SagaTransition {
  const state: SagaState = {
    status: 'RUNNING',
    context,
    cursor: null,
    completed: [],
    toCompensate: [],
    pending: [],
    children: {},
    failure: null,
    compensationFailure: null,
    endAs: 'COMPENSATED',
  };
  return finish(definition, enterForward(definition, { state, commands: [], log: [] }, 0));
}

export function applyInput(definition: SagaDefinition, state: SagaState, input: SagaInput): SagaTransition {
  const draft: Draft = { state, commands: [], log: [] };
  switch (input.type) {
    case 'ReplyReceived':
      return onReply(definition, draft, input);
    case 'DeadlinePassed':
      return onDeadline(definition, draft, input);
    case 'SagaDeadlinePassed':
      return onSagaDeadline(definition, draft, input.afterMs);
    case 'ChildFinished': {
      const children = { ...state.children, [input.childKey]: input.status };
      const next = { ...draft, state: { ...state, children } };
      // Recorded whatever the status; only a RUNNING saga moves on it (a FAILED one waits for its operator).
      if (state.status !== 'RUNNING') return finish(definition, next);
      return finish(definition, stepAnswered(definition, next));
    }
    case 'RetryRequested':
      return finish(definition, retry(definition, draft));
    case 'CompensateRequested': {
      const cursor = state.cursor;
      const stopped = state.status === 'FAILED' && cursor?.phase === 'forward';
      if (!cursor || (state.status !== 'RUNNING' && !stopped))
        throw new SagaRuleError(
          'NOT_RUNNING',
          `only a RUNNING saga, or one FAILED going forward, can be compensated; it is ${state.status}`,
        );
      return finish(
        definition,
        fail(definition, operatorLog(definition, draft, input.reason), {
          step: stepName(definition, cursor),
          kind: 'operator',
          code: 'COMPENSATION_REQUESTED',
          message: input.reason,
        }),
      );
    }
    case 'AbortRequested':
      if (!['QUEUED', 'RUNNING', 'COMPENSATING', 'FAILED'].includes(state.status))
        throw new SagaRuleError('ALREADY_FINISHED', `a ${state.status} saga cannot be aborted`);
      return finish(definition, {
        ...operatorLog(definition, draft, input.reason),
        state: { ...state, status: 'ABORTED', cursor: null, pending: [] },
      });
    default: {
      const unknown: never = input;
      return unknown;
    }
  }
}

function onReply(
  definition: SagaDefinition,
  draft: Draft,
  input: Extract<SagaInput, { type: 'ReplyReceived' }>,
): SagaTransition {
  const { state } = draft;
  const index = state.pending.findIndex(
    (pending) => pending.commandMessageId === input.commandMessageId && pending.outcome === 'waiting',
  );
  // A saga stopped going forward for an operator takes no late replies: the operator's retry sends again.
  const held = state.status === 'FAILED' && state.cursor?.phase === 'forward';
  if (!state.cursor || held || index < 0 || stepName(definition, state.cursor) !== input.step)
    return ignore(state, `no command ${input.commandMessageId} of step ${input.step} awaits a reply`);
  const cursor = state.cursor;
  const pending = state.pending[index];
  const succeeded = input.outcome === 'succeeded';
  const updated = state.pending.map((entry, i) =>
    i === index ? { ...entry, outcome: succeeded ? ('succeeded' as const) : ('failed' as const) } : entry,
  );
  const step = definition.steps[cursor.step];
  draft.log.push(
    logOf(
      definition,
      cursor,
      succeeded ? 'succeeded' : 'failed',
      pending,
      succeeded ? input.result : input.reason,
    ),
  );
  if (!succeeded) {
    const reason = input.reason ?? { code: 'UNKNOWN', message: 'the participant gave no reason' };
    // A transient refusal is answered like silence: the step's deadline, still running, sends it again.
    if (reason.transient && cursor.phase === 'forward' && attemptsLeft(step, cursor))
      return finish(definition, draft);
    const failure: SagaFailure = { step: step.name, kind: 'refused', ...reason };
    const next = { ...draft, state: { ...state, pending: updated } };
    if (cursor.phase === 'compensating') return finish(definition, compensationFailed(next, failure));
    return finish(definition, fail(definition, next, failure, step.abortOn?.includes(reason.code) ?? false));
  }
  const context =
    cursor.phase === 'forward' && step.onReply
      ? step.onReply(state.context, input.result ?? {}, pending.command)
      : state.context;
  return finish(
    definition,
    stepAnswered(definition, { ...draft, state: { ...state, context, pending: updated } }),
  );
}

function onDeadline(
  definition: SagaDefinition,
  draft: Draft,
  input: Extract<SagaInput, { type: 'DeadlinePassed' }>,
): SagaTransition {
  const { state } = draft;
  const cursor = state.cursor;
  const active = state.status === 'RUNNING' || state.status === 'COMPENSATING';
  const waiting = state.pending.some((pending) => pending.outcome === 'waiting');
  const step = cursor && definition.steps[cursor.step];
  const awaitsChildren = !waiting && cursor?.phase === 'forward' && step?.awaitChildren !== undefined;
  const name = cursor && `${stepName(definition, cursor)}${awaitsChildren ? '.children' : ''}`;
  if (
    !cursor ||
    !step ||
    !active ||
    !(waiting || awaitsChildren) ||
    name !== input.step ||
    cursor.attempt !== input.attempt
  )
    return ignore(state, `the deadline of ${input.step} attempt ${input.attempt} is stale`);
  if (awaitsChildren) return finish(definition, childrenOverran(definition, draft, step));
  draft.log.push({
    ...entryOf(definition, cursor),
    event: 'timed-out',
    detail: { timeoutMs: timeoutOf(step, cursor) },
  });
  if (attemptsLeft(step, cursor))
    return finish(definition, resend(definition, draft, { ...cursor, attempt: cursor.attempt + 1 }));
  const failure: SagaFailure = {
    step: step.name,
    kind: 'timed-out',
    code: 'STEP_TIMED_OUT',
    message: `no reply to ${step.name} after ${cursor.attempt - cursor.firstAttempt + 1} attempt(s)`,
  };
  if (cursor.phase === 'compensating') return finish(definition, compensationFailed(draft, failure));
  if (step.onTimeout === 'fail') return finish(definition, holdForOperator(draft, failure));
  return finish(definition, fail(definition, draft, failure));
}

function onSagaDeadline(definition: SagaDefinition, draft: Draft, afterMs: number): SagaTransition {
  const { state } = draft;
  if (state.status !== 'RUNNING' || !state.cursor)
    return ignore(state, `a ${state.status} saga has no deadline as a whole`);
  const { then } = definition.deadline;
  draft.log.push({
    step: 'saga',
    phase: 'forward',
    attempt: 0,
    event: 'timed-out',
    detail: { afterMs, then },
  });
  const failure: SagaFailure = {
    step: stepName(definition, state.cursor),
    kind: 'expired',
    code: 'SAGA_DEADLINE_PASSED',
    message: `the ${definition.type} saga did not finish within ${afterMs} ms`,
  };
  return finish(
    definition,
    then === 'fail' ? holdForOperator(draft, failure) : fail(definition, draft, failure),
  );
}

function retry(definition: SagaDefinition, draft: Draft): Draft {
  const { state } = draft;
  const cursor = state.cursor;
  const resendable = state.pending.some((pending) => pending.outcome !== 'succeeded');
  const forward = cursor?.phase === 'forward';
  // A step stopped while awaiting children has nothing unanswered: it is run again instead.
  const rerunnable = forward && state.status === 'FAILED' && !!definition.steps[cursor.step].awaitChildren;
  if (!cursor || !['RUNNING', 'COMPENSATING', 'FAILED'].includes(state.status) || !(resendable || rerunnable))
    throw new SagaRuleError('NOTHING_TO_RETRY', `the ${state.status} saga has no step waiting for a reply`);
  const reopened = state.status === 'FAILED' ? (forward ? 'RUNNING' : 'COMPENSATING') : state.status;
  const next = {
    ...operatorLog(definition, draft, 'retry requested'),
    state: {
      ...state,
      status: reopened,
      compensationFailure: null,
      failure: forward ? null : state.failure,
    },
  };
  if (!resendable) return rerun(definition, next, cursor, 1);
  return resend(definition, next, {
    ...cursor,
    attempt: cursor.attempt + 1,
    firstAttempt: cursor.attempt + 1,
  });
}

function stepAnswered(definition: SagaDefinition, draft: Draft): Draft {
  const { state } = draft;
  const cursor = state.cursor;
  if (!cursor || state.pending.some((pending) => pending.outcome !== 'succeeded')) return draft;
  if (cursor.phase === 'compensating') return nextCompensation(definition, draft);
  const step = definition.steps[cursor.step];
  if (step.awaitChildren) {
    const awaited = step.awaitChildren.keys(state.context);
    const failed = awaited.filter((key) => state.children[key] && state.children[key] !== 'COMPLETED');
    if (failed.length > 0) {
      const ended = failed.map((key) => `${key} ended ${state.children[key]}`).join(', ');
      return childrenFailed(
        definition,
        draft,
        step,
        failed,
        'CHILD_SAGA_NOT_COMPLETED',
        `child saga ${ended}`,
      );
    }
    if (awaited.some((key) => !state.children[key])) return draft;
    const finished = Object.fromEntries(awaited.map((key) => [key, state.children[key]]));
    draft.log.push({ ...entryOf(definition, cursor), event: 'children-finished', detail: finished });
  }
  const completed = [...state.completed, cursor.step];
  return enterForward(definition, { ...draft, state: { ...state, completed } }, cursor.step + 1);
}

function childrenOverran(definition: SagaDefinition, draft: Draft, step: SagaStep<unknown>): Draft {
  const { state } = draft;
  const wait = step.awaitChildren as NonNullable<SagaStep<unknown>['awaitChildren']>;
  const running = wait.keys(state.context).filter((key) => !state.children[key]);
  draft.log.push({
    ...entryOf(definition, state.cursor as NonNullable<SagaState['cursor']>),
    event: 'timed-out',
    detail: { timeoutMs: wait.timeoutMs, waitingFor: running },
  });
  const message = `child saga ${running.join(', ')} still running after ${wait.timeoutMs} ms`;
  return childrenFailed(definition, draft, step, running, 'CHILD_SAGA_TIMED_OUT', message);
}

/** A child ended badly or overran: the step's declared rule runs it again, or gives up by `then`. */
function childrenFailed(
  definition: SagaDefinition,
  draft: Draft,
  step: SagaStep<unknown>,
  keys: readonly string[],
  code: string,
  message: string,
): Draft {
  const cursor = draft.state.cursor as NonNullable<SagaState['cursor']>;
  const wait = step.awaitChildren as NonNullable<SagaStep<unknown>['awaitChildren']>;
  const run = cursor.run ?? 1;
  draft.log.push({
    ...entryOf(definition, cursor),
    event: 'children-finished',
    detail: { failed: keys, code, message, run, of: wait.attempts },
  });
  if (run < wait.attempts) return rerun(definition, draft, cursor, run + 1);
  const failure: SagaFailure = { step: step.name, kind: 'child-failed', code, message };
  return wait.then === 'fail' ? holdForOperator(draft, failure) : fail(definition, draft, failure);
}
