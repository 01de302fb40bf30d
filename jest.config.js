/** Tests transpile with SWC (type-checking is `npm run typecheck`), two workers at most. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  maxWorkers: 2,
  workerIdleMemoryLimit: '1GB',
  testTimeout: 30000,
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/token-traces.ts'],
  // one folder per run where test files share the stacks they synthesize (__tests__/helpers.ts)
  globalSetup: '<rootDir>/__tests__/support/synth-cache.ts',
  globalTeardown: '<rootDir>/__tests__/support/synth-cache-teardown.ts',
};
