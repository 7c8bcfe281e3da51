export type { TestSchema } from './test-database';
export { createTestSchema } from './test-database';
export { createTestEventStore } from './test-event-store';
export { declaredVariables, documentedVariables } from './configuration-docs';
export { eventually, FakeOrchestrator } from './fake-orchestrator';
export { capturingLogger } from './captured-log';
