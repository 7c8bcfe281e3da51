export type { TestSchema } from './test-database';
export { createTestSchema } from './test-database';
export { declaredVariables, documentedVariables } from './configuration-docs';
export { eventually, FakeOrchestrator } from './fake-orchestrator';
export { capturingLogger } from './captured-log';
