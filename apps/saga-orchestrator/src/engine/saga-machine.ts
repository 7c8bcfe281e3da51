import type { SagaDefinition, SagaFailure, SagaStep } from './saga-definition';
import {
  Draft,
  entryOf,
  finish,
  ignore,
  logOf,
  operatorLog,
  plan,
  stepName,
  timeoutOf,
  toList,
} from './saga-draft';
import { SagaCursor, SagaInput, SagaRuleError, SagaState, SagaTransition } from './saga-state';

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
    case 'ChildFinished': {
      const children = { ...state.children, [input.childKey]: input.status };
      const next = { ...draft, state: { ...state, children } };
      return finish(definition, stepAnswered(definition, next));
    }
    case 'RetryRequested':
      return finish(definition, retry(definition, draft));
    case 'CompensateRequested':
      if (state.status !== 'RUNNING' || !state.cursor)
        throw new SagaRuleError(
          'NOT_RUNNING',
          `only a RUNNING saga can be compensated; it is ${state.status}`,
        );
      return finish(
        definition,
        fail(definition, operatorLog(definition, draft, input.reason), {
          step: stepName(definition, state.cursor),
          kind: 'operator',
          code: 'COMPENSATION_REQUESTED',
          message: input.reason,
        }),
      );
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
  if (!state.cursor || index < 0 || stepName(definition, state.cursor) !== input.step)
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
    // A transient refusal is answered like silence: the step's deadline, set afresh, sends it again.
    if (reason.transient && cursor.phase === 'forward' && attemptsLeft(step, cursor))
      return finish(definition, draft);
    const failure: SagaFailure = { step: step.name, kind: 'refused', ...reason };
    const next = { ...draft, state: { ...state, pending: updated } };
    if (cursor.phase === 'compensating') return finish(definition, compensationFailed(next, failure));
    return finish(definition, fail(definition, next, failure, step.abortOn?.includes(reason.code) ?? false));
  }
  const context =
    cursor.phase === 'forward' && step.onReply
      ? step.onReply(state.context, input.result, pending.command)
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
  const waiting = state.pending.some((pending) => pending.outcome === 'waiting');
  if (!cursor || !waiting || stepName(definition, cursor) !== input.step || cursor.attempt !== input.attempt)
    return ignore(state, `the deadline of ${input.step} attempt ${input.attempt} is stale`);
  const step = definition.steps[cursor.step];
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
  return finish(definition, fail(definition, draft, failure));
}

const attemptsLeft = (step: SagaStep<unknown>, cursor: SagaCursor) =>
  cursor.attempt - cursor.firstAttempt + 1 < step.retry.attempts;

function retry(definition: SagaDefinition, draft: Draft): Draft {
  const { state } = draft;
  const cursor = state.cursor;
  const resendable = state.pending.some((pending) => pending.outcome !== 'succeeded');
  if (!cursor || !['RUNNING', 'COMPENSATING', 'FAILED'].includes(state.status) || !resendable)
    throw new SagaRuleError('NOTHING_TO_RETRY', `the ${state.status} saga has no step waiting for a reply`);
  const status = state.status === 'FAILED' ? 'COMPENSATING' : state.status;
  const next = {
    ...operatorLog(definition, draft, 'retry requested'),
    state: { ...state, status, compensationFailure: null },
  };
  return resend(definition, next, {
    ...cursor,
    attempt: cursor.attempt + 1,
    firstAttempt: cursor.attempt + 1,
  });
}

/** Sends again what has not succeeded yet, under new message ids, so replies to the old attempt are ignored. */
function resend(definition: SagaDefinition, draft: Draft, cursor: SagaCursor): Draft {
  const kept = draft.state.pending.filter((pending) => pending.outcome === 'succeeded');
  const again = draft.state.pending.filter((pending) => pending.outcome !== 'succeeded');
  return plan(
    definition,
    { ...draft, state: { ...draft.state, cursor, pending: kept } },
    again.map((p) => p.command),
  );
}

function stepAnswered(definition: SagaDefinition, draft: Draft): Draft {
  const { state } = draft;
  const cursor = state.cursor;
  if (!cursor || state.pending.some((pending) => pending.outcome !== 'succeeded')) return draft;
  if (cursor.phase === 'compensating') return nextCompensation(definition, draft);
  const step = definition.steps[cursor.step];
  if (step.awaitChildren) {
    const awaited = step.awaitChildren(state.context);
    const failed = awaited.find((key) => state.children[key] && state.children[key] !== 'COMPLETED');
    if (failed)
      return fail(definition, draft, {
        step: step.name,
        kind: 'child-failed',
        code: 'CHILD_SAGA_NOT_COMPLETED',
        message: `child saga ${failed} ended ${state.children[failed]}`,
      });
    if (awaited.some((key) => !state.children[key])) return draft;
    const finished = Object.fromEntries(awaited.map((key) => [key, state.children[key]]));
    draft.log.push({ ...entryOf(definition, cursor), event: 'children-finished', detail: finished });
  }
  const completed = [...state.completed, cursor.step];
  return enterForward(definition, { ...draft, state: { ...state, completed } }, cursor.step + 1);
}

function enterForward(definition: SagaDefinition, draft: Draft, from: number): Draft {
  let state = draft.state;
  for (let index = from; index < definition.steps.length; index += 1) {
    const step = definition.steps[index];
    const cursor: SagaCursor = { phase: 'forward', step: index, attempt: 1, firstAttempt: 1 };
    if (step.when && !step.when(state.context)) {
      draft.log.push({ ...entryOf(definition, cursor), event: 'skipped' });
      continue;
    }
    const commands = step.command ? toList(step.command(state.context)) : [];
    if (commands.length === 0 && !step.awaitChildren) {
      state = { ...state, completed: [...state.completed, index] };
      continue;
    }
    return plan(definition, { ...draft, state: { ...state, cursor, pending: [] } }, commands);
  }
  return { ...draft, state: { ...state, status: 'COMPLETED', cursor: null, pending: [] } };
}

function fail(definition: SagaDefinition, draft: Draft, failure: SagaFailure, abort = false): Draft {
  const { state } = draft;
  const current = state.cursor && state.cursor.phase === 'forward' ? state.cursor.step : undefined;
  // A step that timed out or was interrupted may still land at the participant, and one whose
  // commands succeeded before a child failed has landed, so each is undone too.
  const landed =
    failure.kind === 'timed-out' || failure.kind === 'operator' || failure.kind === 'child-failed';
  const inFlight = landed ? [current] : [];
  const toCompensate = [...inFlight, ...[...state.completed].reverse()].filter(
    (index): index is number => index !== undefined && definition.steps[index].compensate !== undefined,
  );
  const next: SagaState = {
    ...state,
    status: 'COMPENSATING',
    failure,
    toCompensate,
    endAs: abort ? 'ABORTED' : 'COMPENSATED',
  };
  return nextCompensation(definition, { ...draft, state: next });
}

function nextCompensation(definition: SagaDefinition, draft: Draft): Draft {
  const { state } = draft;
  const [index, ...rest] = state.toCompensate;
  if (index === undefined)
    return { ...draft, state: { ...state, status: state.endAs, cursor: null, pending: [] } };
  const step = definition.steps[index];
  const command = (step.compensate as NonNullable<SagaStep<unknown>['compensate']>)(
    state.context,
    state.failure as SagaFailure,
  );
  const cursor: SagaCursor = { phase: 'compensating', step: index, attempt: 1, firstAttempt: 1 };
  return plan(definition, { ...draft, state: { ...state, cursor, toCompensate: rest, pending: [] } }, [
    command,
  ]);
}

function compensationFailed(draft: Draft, failure: SagaFailure): Draft {
  return { ...draft, state: { ...draft.state, status: 'FAILED', compensationFailure: failure } };
}
