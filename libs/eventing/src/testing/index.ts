export type { TestSchema } from './test-database';
export { createTestSchema } from './test-database';
export { createTestEventStore } from './test-event-store';
export { declaredVariables, documentedVariables, itDocumentsItsVariables } from './configuration-docs';
export { FakeOrchestrator } from './fake-orchestrator';
export { capturingLogger } from './captured-log';
export { eventually } from './eventually';
export type { Then } from './decider-spec';
export { specFor } from './decider-spec';
