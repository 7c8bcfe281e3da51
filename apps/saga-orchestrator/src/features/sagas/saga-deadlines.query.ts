import type { SagaDefinition } from '../../engine/saga-definition';

/**
 * What each deadline of a saga type leads to, as it runs here (timeouts scaled, the saga's own
 * deadline as configured): what an operator reads beside a saga that is waiting.
 */
export function deadlinePolicy(definition: SagaDefinition, sagaDeadlineMs: number, timeoutScale: number) {
  const scaled = (ms: number) => Math.round(ms * timeoutScale);
  return {
    saga: { afterMs: sagaDeadlineMs, then: definition.deadline.then },
    steps: definition.steps.map((step) => ({
      step: step.name,
      sends: step.command !== undefined,
      timeoutMs: scaled(step.timeoutMs),
      attempts: step.retry.attempts,
      backoffFactor: step.retry.backoffFactor,
      onTimeout: step.command ? (step.onTimeout ?? 'compensate') : null,
      compensated: step.compensate !== undefined,
      children: step.awaitChildren && {
        timeoutMs: scaled(step.awaitChildren.timeoutMs),
        attempts: step.awaitChildren.attempts,
        then: step.awaitChildren.then,
      },
    })),
  };
}
