import type { Reason, SagaCommand, SagaCommandResult } from '@tradecore/contracts';
import type { SagaFailure, SagaStatus } from './saga-definition';

export type SagaPhase = 'forward' | 'compensating';

/** One command of the current step attempt; its id is known only once the outbox row is written. */
export interface PendingCommand {
  readonly command: SagaCommand;
  readonly commandMessageId: string | null;
  readonly outcome: 'waiting' | 'succeeded' | 'failed';
}

export interface SagaCursor {
  readonly phase: SagaPhase;
  readonly step: number;
  readonly attempt: number;
  /** The attempt this run of the step began with; an operator's retry starts a fresh budget. */
  readonly firstAttempt: number;
  /** How many times a step awaiting children has been run (its children started); absent means 1. */
  readonly run?: number;
}

/** Everything the engine persists about a saga between two messages, as plain JSON. */
export interface SagaState {
  readonly status: SagaStatus;
  readonly context: unknown;
  readonly cursor: SagaCursor | null;
  /** Forward steps that completed, in order: what a compensation walks back through. */
  readonly completed: readonly number[];
  readonly toCompensate: readonly number[];
  readonly pending: readonly PendingCommand[];
  /** Final statuses of child sagas by child key, recorded whenever they arrive. */
  readonly children: Readonly<Record<string, SagaStatus>>;
  readonly failure: SagaFailure | null;
  readonly compensationFailure: SagaFailure | null;
  readonly endAs: 'COMPENSATED' | 'ABORTED';
}

export type SagaInput =
  | {
      readonly type: 'ReplyReceived';
      readonly step: string;
      readonly commandMessageId: string;
      readonly outcome: 'succeeded' | 'failed';
      readonly result?: SagaCommandResult<SagaCommand['type']>;
      readonly reason?: Reason;
    }
  | { readonly type: 'DeadlinePassed'; readonly step: string; readonly attempt: number }
  | { readonly type: 'ChildFinished'; readonly childKey: string; readonly status: SagaStatus }
  /** The saga as a whole ran out of time; `afterMs` is its configured deadline, for the reason's message. */
  | { readonly type: 'SagaDeadlinePassed'; readonly afterMs: number }
  | { readonly type: 'RetryRequested' }
  | { readonly type: 'CompensateRequested'; readonly reason: string }
  | { readonly type: 'AbortRequested'; readonly reason: string };

export interface PlannedCommand {
  /** The step name as participants echo it back in `SagaReply.step` (`<name>.compensate` for a compensation). */
  readonly step: string;
  readonly phase: SagaPhase;
  readonly attempt: number;
  readonly command: SagaCommand;
}

export type StepLogEvent =
  'sent' | 'succeeded' | 'failed' | 'timed-out' | 'skipped' | 'children-finished' | 'operator';

export interface StepLogEntry {
  readonly step: string;
  readonly phase: SagaPhase;
  readonly attempt: number;
  readonly event: StepLogEvent;
  readonly commandType?: string;
  readonly commandMessageId?: string;
  readonly detail?: unknown;
}

export interface SagaTransition {
  readonly state: SagaState;
  readonly commands: readonly PlannedCommand[];
  /**
   * When the current wait ends; null when nothing is awaited with a deadline. A wait for children
   * is named `<step>.children`. Setting the same step and attempt again keeps the running clock.
   */
  readonly deadline: { readonly step: string; readonly attempt: number; readonly dueInMs: number } | null;
  readonly log: readonly StepLogEntry[];
  /** Set when the input did not apply (a late or duplicate reply, a stale deadline). */
  readonly ignored?: string;
}

/** An operator asked for something the saga's status does not allow; the ops API answers 409 with the code. */
export class SagaRuleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SagaRuleError';
  }
}

/** Fills in the message ids the outbox gave the commands just planned, in planning order. */
export function withSentIds(state: SagaState, ids: readonly string[]): SagaState {
  let next = 0;
  return {
    ...state,
    pending: state.pending.map((pending) =>
      pending.commandMessageId === null ? { ...pending, commandMessageId: ids[next++] } : pending,
    ),
  };
}
