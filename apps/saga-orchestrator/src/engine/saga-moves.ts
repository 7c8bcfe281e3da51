import type { SagaDefinition, SagaFailure, SagaStep } from './saga-definition';
import { type Draft, entryOf, plan, toList } from './saga-draft';
import type { SagaCursor, SagaState } from './saga-state';

// The moves every input ends in: on to the next step, send again, roll back, or stop for an operator.

export const attemptsLeft = (step: SagaStep<unknown>, cursor: SagaCursor) =>
  cursor.attempt - cursor.firstAttempt + 1 < step.retry.attempts;

/** Sends again what has not succeeded yet, under new message ids, so replies to the old attempt are ignored. */
export function resend(definition: SagaDefinition, draft: Draft, cursor: SagaCursor): Draft {
  const kept = draft.state.pending.filter((pending) => pending.outcome === 'succeeded');
  const again = draft.state.pending.filter((pending) => pending.outcome !== 'succeeded');
  return plan(
    definition,
    { ...draft, state: { ...draft.state, cursor, pending: kept } },
    again.map((p) => p.command),
  );
}

/**
 * Runs a step that awaits children once more: every command again, as a fresh attempt, with the
 * outcomes of the children it waited for forgotten (the command starts new ones or joins those running).
 */
export function rerun(definition: SagaDefinition, draft: Draft, cursor: SagaCursor, run: number): Draft {
  const { state } = draft;
  const step = definition.steps[cursor.step];
  const awaited = new Set(step.awaitChildren?.keys(state.context) ?? []);
  const children = Object.fromEntries(Object.entries(state.children).filter(([key]) => !awaited.has(key)));
  const next: SagaCursor = { ...cursor, attempt: cursor.attempt + 1, firstAttempt: cursor.attempt + 1, run };
  const commands = step.command ? toList(step.command(state.context)) : [];
  return plan(
    definition,
    { ...draft, state: { ...state, status: 'RUNNING', children, cursor: next, pending: [] } },
    commands,
  );
}

export function enterForward(definition: SagaDefinition, draft: Draft, from: number): Draft {
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

export function fail(definition: SagaDefinition, draft: Draft, failure: SagaFailure, abort = false): Draft {
  const { state } = draft;
  const current = state.cursor && state.cursor.phase === 'forward' ? state.cursor.step : undefined;
  // A step that timed out or was interrupted may still land at the participant, and one whose
  // commands succeeded before a child failed has landed, so each is undone too.
  const inFlight = failure.kind === 'refused' ? [] : [current];
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

/** A deadline whose declared outcome is `fail`: the saga stops where it is, FAILED, for an operator to retry or compensate. */
export function holdForOperator(draft: Draft, failure: SagaFailure): Draft {
  return { ...draft, state: { ...draft.state, status: 'FAILED', failure } };
}

export function nextCompensation(definition: SagaDefinition, draft: Draft): Draft {
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

export function compensationFailed(draft: Draft, failure: SagaFailure): Draft {
  return { ...draft, state: { ...draft.state, status: 'FAILED', compensationFailure: failure } };
}

/** The child keys a saga waits for once every command of its current step succeeded. */
export function awaitedChildren(definition: SagaDefinition, state: SagaState): readonly string[] {
  const cursor = state.cursor;
  if (
    !cursor ||
    cursor.phase !== 'forward' ||
    state.pending.some((pending) => pending.outcome !== 'succeeded')
  )
    return [];
  return definition.steps[cursor.step].awaitChildren?.keys(state.context) ?? [];
}
