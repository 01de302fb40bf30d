/**
 * Test files run as plain Node.js modules in two worker threads (jest-light-runner): the modules a
 * file loads (cdktf, the provider's classes, the stacks) stay loaded for the next file of that
 * worker instead of being loaded again into a fresh sandbox, which took half of the unit tests'
 * CPU. The price is isolation: a file restores what it changes in the process (environment
 * variables, spies) in its afterAll. tsx loads the TypeScript: registered here for the global setup
 * (and the test files with --runInBand), and in each worker by its first setup file.
 * Threads, not the runner's child processes: those can miss the message that starts them, and the
 * run then waits forever for a file (seen here in two of four full runs). Timeouts:
 * __tests__/support/timeouts.ts.
 */
require('tsx/cjs/api').register();
require('tsx/esm/api').register();

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  runner: 'jest-light-runner',
  transform: {}, // tsx loads the TypeScript
  maxWorkers: 2,
  setupFiles: ['<rootDir>/__tests__/support/tsx.mjs'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/timeouts.ts', '<rootDir>/__tests__/support/test-process.ts'],
  // one folder per run where test files share the stacks they synthesize (__tests__/helpers.ts)
  globalSetup: '<rootDir>/__tests__/support/synth-cache.ts',
  globalTeardown: '<rootDir>/__tests__/support/synth-cache-teardown.ts',
};
