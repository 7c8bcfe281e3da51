import { type Message, type Reason, type Timestamp, typeNamesOf } from '../message';

/*
 * A saga's life as the orchestrator lives it, for any context to follow (the real-time channel,
 * automations): published on `saga-orchestrator.events`, keyed by saga id, so one saga's events
 * arrive in order. The envelope carries the saga's correlation id.
 */

interface SagaRef {
  readonly sagaId: string;
  /** `BrokerConnection`, `BrokerDisconnection`, `UserDeletion`, ... */
  readonly sagaType: string;
  /** What the saga works on: a connection id, a user id. */
  readonly aggregateId: string;
  readonly parentSagaId: string | null;
  /** The user whose request started it, where there is one. */
  readonly userId: string | null;
  readonly at: Timestamp;
}

/** Why a saga stopped going forward. */
export interface SagaFailureReason extends Reason {
  readonly step: string;
  readonly kind: 'refused' | 'timed-out' | 'child-failed' | 'expired' | 'operator';
}

export type SagaStarted = Message<'SagaStarted', SagaRef>;
export type SagaStepCompleted = Message<'SagaStepCompleted', SagaRef & { step: string }>;
export type SagaCompensating = Message<'SagaCompensating', SagaRef & { failure: SagaFailureReason }>;
export type SagaCompleted = Message<'SagaCompleted', SagaRef>;
/** Every completed step was undone: nothing the saga did is left. */
export type SagaCompensated = Message<'SagaCompensated', SagaRef & { failure: SagaFailureReason }>;
/** A compensation failed, or a deadline declared to fail stopped it going forward: an operator must act. */
export type SagaFailed = Message<'SagaFailed', SagaRef & { failure: SagaFailureReason }>;
export type SagaAborted = Message<'SagaAborted', SagaRef & { failure: SagaFailureReason | null }>;

export type SagaLifecycleEvent =
  | SagaStarted
  | SagaStepCompleted
  | SagaCompensating
  | SagaCompleted
  | SagaCompensated
  | SagaFailed
  | SagaAborted;

export const sagaLifecycleEventTypes = typeNamesOf<SagaLifecycleEvent>({
  SagaStarted: true,
  SagaStepCompleted: true,
  SagaCompensating: true,
  SagaCompleted: true,
  SagaCompensated: true,
  SagaFailed: true,
  SagaAborted: true,
});
