export type { TestSchema } from './test-database';
export { createTestSchema } from './test-database';
