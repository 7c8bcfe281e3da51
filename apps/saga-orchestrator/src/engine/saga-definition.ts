import type { Reason, SagaCommand, SagaCommandResult } from '@tradecore/contracts';

export type SagaStatus =
  'QUEUED' | 'RUNNING' | 'COMPLETED' | 'COMPENSATING' | 'COMPENSATED' | 'FAILED' | 'ABORTED';

export const ACTIVE_STATUSES: readonly SagaStatus[] = ['RUNNING', 'COMPENSATING'];
export const FINAL_STATUSES: readonly SagaStatus[] = ['COMPLETED', 'COMPENSATED', 'ABORTED'];

/** Why a saga stopped going forward: a participant's refusal, a step that never answered, or an operator. */
export interface SagaFailure extends Reason {
  readonly step: string;
  readonly kind: 'refused' | 'timed-out' | 'child-failed' | 'expired' | 'operator';
}

/** What a deadline leads to once its retries are spent: undo the saga, or stop it FAILED for an operator. */
export type DeadlineOutcome = 'compensate' | 'fail';

/** The saga as a whole must end within this; counted from when it starts running (not while QUEUED). */
export interface SagaDeadlinePolicy {
  /** The default; SAGA_DEADLINES_MS overrides it per saga type. */
  readonly afterMs: number;
  readonly then: DeadlineOutcome;
}

/**
 * A step that waits for child sagas once its commands succeeded. A child that ends anything but
 * COMPLETED, or is still running at the deadline, runs the step again (its command starts or joins
 * the children anew) until `attempts` runs are spent, then `then` applies.
 */
export interface ChildWait<Ctx> {
  readonly keys: (ctx: Ctx) => readonly string[];
  readonly timeoutMs: number;
  /** Runs of the step in total, the first included. */
  readonly attempts: number;
  readonly then: DeadlineOutcome;
}

/**
 * Silence and transient refusals (`reason.transient`, e.g. a broker timeout) are retried; any other
 * refusal is a business answer that will not change.
 */
export interface StepRetryPolicy {
  /** Sends in total, the first included. */
  readonly attempts: number;
  /** Each retry waits this much longer than the one before (1 = same timeout every time). */
  readonly backoffFactor: number;
}

/** What a saga needs from its trigger: the aggregate it locks, its starting context and maybe a parent. */
export interface SagaStart<Ctx> {
  readonly aggregateId: string;
  readonly context: Ctx;
  readonly parentSagaId?: string;
  /** What a parent waiting for this saga knows it by (e.g. the disconnection id), even if another trigger started it. */
  readonly childKey?: string;
}

/** C is the command the step sends, which types the result its reply carries. */
export interface SagaStep<Ctx, C extends SagaCommand = SagaCommand> {
  readonly name: string;
  /** A step whose condition is false is skipped (and so never compensated). */
  readonly when?: (ctx: Ctx) => boolean;
  /** Absent for a compensation-only step; an array fans out, and the step completes when every command succeeded. */
  readonly command?: (ctx: Ctx) => C | readonly C[];
  /** Folds a successful reply's result into the context, once per reply. */
  onReply?(ctx: Ctx, result: SagaCommandResult<C['type']>, command: C): Ctx;
  /**
   * Undoes the step; sent for completed steps in reverse order, for a step that timed out (its
   * command may still land), and for one whose commands succeeded but whose children failed.
   */
  readonly compensate?: (ctx: Ctx, failure: SagaFailure) => SagaCommand;
  /** Refusal codes that end the saga ABORTED rather than failed: the business said stop, nothing went wrong. */
  readonly abortOn?: readonly string[];
  /** After all replies, wait until the child sagas with these keys have finished. */
  readonly awaitChildren?: ChildWait<Ctx>;
  /** Per attempt; `retry` says how often silence is answered by sending again. */
  readonly timeoutMs: number;
  readonly retry: StepRetryPolicy;
  /** After the last attempt stays silent; compensate when not said. A compensation that stays silent always fails. */
  readonly onTimeout?: DeadlineOutcome;
}

export interface SagaDefinition<Trigger = unknown, Ctx = unknown> {
  readonly type: string;
  /** The event types that start this saga. */
  readonly trigger: readonly string[];
  /** The saga's own id comes in so a step can name this saga as the parent of the children it starts. */
  readonly start: (trigger: Trigger, sagaId: string) => SagaStart<Ctx>;
  readonly steps: readonly SagaStep<Ctx>[];
  readonly deadline: SagaDeadlinePolicy;
}

/** A step whose `onReply` sees the result type of the command it sends. */
export const step = <Ctx, C extends SagaCommand>(definition: SagaStep<Ctx, C>): SagaStep<Ctx> => definition;

/** Lets a registry hold definitions of different context types without losing their own typing. */
export function defineSaga<Trigger, Ctx>(definition: SagaDefinition<Trigger, Ctx>): SagaDefinition {
  return definition as unknown as SagaDefinition;
}

/** The saga types an engine runs, given to it so that the engine itself names no saga. */
export interface SagaCatalog {
  definitionOf(type: string): SagaDefinition;
  definitionTriggeredBy(eventType: string): SagaDefinition | undefined;
}
