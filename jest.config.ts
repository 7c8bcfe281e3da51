import type { Config } from 'jest';

const moduleNameMapper = {
  '^@tradecore/(eventing|contracts|dev-broker|auth|broker-sandboxes|order-api)$': '<rootDir>/libs/$1/src',
  '^@tradecore/(eventing|contracts|dev-broker|auth|broker-sandboxes|order-api)/(.*)$':
    '<rootDir>/libs/$1/src/$2',
};
const shared = {
  rootDir: '.',
  moduleNameMapper,
  transform: { '^.+\\.ts$': '@swc/jest' },
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/deploy', '<rootDir>/test'],
};

// Integration and e2e tests share PostgreSQL, Redis and ports, so the suite runs in band
// (`npm test`); unit tests are pure and fast either way.
const config: Config = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    // Includes the fault and abuse suite at its short scale (test/chaos/chaos.e2e-spec.ts).
    { ...shared, displayName: 'integration', testMatch: ['**/*.int-spec.ts', '**/*.e2e-spec.ts'] },
    // The same suite alone, for `npm run chaos` (CHAOS_FULL=1) and `npm run chaos:short`.
    { ...shared, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/chaos.e2e-spec.ts'] },
  ],
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};

export default config;
