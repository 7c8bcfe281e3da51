import type { SagaCommand } from '@tradecore/contracts';
import type { SagaDefinition, SagaStep } from './saga-definition';
import type {
  PendingCommand,
  PlannedCommand,
  SagaCursor,
  SagaState,
  SagaTransition,
  StepLogEntry,
} from './saga-state';

/** A transition being built: the state so far, the commands to send and the log lines to write. */
export type Draft = { state: SagaState; commands: PlannedCommand[]; log: StepLogEntry[] };

export function plan(definition: SagaDefinition, draft: Draft, commands: readonly SagaCommand[]): Draft {
  const cursor = draft.state.cursor as SagaCursor;
  const added: PendingCommand[] = commands.map((command) => ({
    command,
    commandMessageId: null,
    outcome: 'waiting',
  }));
  for (const command of commands) {
    draft.commands.push({
      step: stepName(definition, cursor),
      phase: cursor.phase,
      attempt: cursor.attempt,
      command,
    });
    draft.log.push({
      ...entryOf(definition, cursor),
      event: 'sent',
      commandType: command.type,
      detail: command.payload,
    });
  }
  return { ...draft, state: { ...draft.state, pending: [...draft.state.pending, ...added] } };
}

export function finish(definition: SagaDefinition, draft: Draft): SagaTransition {
  const { state } = draft;
  return { state, commands: draft.commands, log: draft.log, deadline: deadlineOf(definition, state) };
}

/** The wait a state is in: replies to the current attempt, or the children of a step whose commands succeeded. */
function deadlineOf(definition: SagaDefinition, state: SagaState): SagaTransition['deadline'] {
  const cursor = state.cursor;
  const active = state.status === 'RUNNING' || state.status === 'COMPENSATING';
  if (!cursor || !active) return null;
  const step = definition.steps[cursor.step];
  const name = stepName(definition, cursor);
  if (state.pending.some((pending) => pending.outcome === 'waiting'))
    return { step: name, attempt: cursor.attempt, dueInMs: timeoutOf(step, cursor) };
  if (cursor.phase === 'forward' && step.awaitChildren)
    return { step: `${name}.children`, attempt: cursor.attempt, dueInMs: step.awaitChildren.timeoutMs };
  return null;
}

export function timeoutOf(step: SagaStep<unknown>, cursor: SagaCursor): number {
  return Math.round(step.timeoutMs * step.retry.backoffFactor ** (cursor.attempt - cursor.firstAttempt));
}

export function ignore(state: SagaState, why: string): SagaTransition {
  return { state, commands: [], log: [], deadline: null, ignored: why };
}

export function operatorLog(definition: SagaDefinition, draft: Draft, reason: string): Draft {
  const cursor = draft.state.cursor;
  draft.log.push({
    step: cursor ? stepName(definition, cursor) : 'saga',
    phase: cursor?.phase ?? 'forward',
    attempt: cursor?.attempt ?? 0,
    event: 'operator',
    detail: { reason },
  });
  return draft;
}

export function stepName(definition: SagaDefinition, cursor: Pick<SagaCursor, 'phase' | 'step'>): string {
  const name = definition.steps[cursor.step].name;
  return cursor.phase === 'forward' ? name : `${name}.compensate`;
}

export function entryOf(definition: SagaDefinition, cursor: SagaCursor): StepLogEntry {
  return { step: stepName(definition, cursor), phase: cursor.phase, attempt: cursor.attempt, event: 'sent' };
}

export function logOf(
  definition: SagaDefinition,
  cursor: SagaCursor,
  event: StepLogEntry['event'],
  pending: PendingCommand,
  detail: unknown,
): StepLogEntry {
  return {
    ...entryOf(definition, cursor),
    event,
    commandType: pending.command.type,
    commandMessageId: pending.commandMessageId ?? undefined,
    detail,
  };
}

export const toList = (value: SagaCommand | readonly SagaCommand[]): readonly SagaCommand[] =>
  Array.isArray(value) ? value : [value as SagaCommand];
