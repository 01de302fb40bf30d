/**
 * The test runner keeps each test file's modules loaded for the next file and has no timeouts of
 * its own (jest.config.js): these check the timeouts __tests__/support/timeouts.ts adds.
 */
import { bounded } from './support/bounded';

jest.setTimeout(4_000);

describe('a bounded body', () => {
  test('fails, naming the timeout, when it does not settle in time', async () => {
    await expect(bounded(() => new Promise(() => {}), 20, 'a test')()).rejects.toThrow('Exceeded timeout of 20 ms for a test');
  });

  test('settles as the body does: its value, or its own error', async () => {
    await expect(bounded(async (n: number) => n + 1, 1_000, 'a test')(41)).resolves.toBe(42);
    await expect(bounded(() => Promise.reject(new Error('the body failed')), 1_000, 'a test')()).rejects.toThrow('the body failed');
    await expect(bounded(() => {
      throw new Error('thrown at once');
    }, 1_000, 'a test')()).rejects.toThrow('thrown at once');
  });
});

describe('the test functions', () => {
  const started = Date.now();
  let hookElapsed = 0;
  beforeAll(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    hookElapsed = Date.now() - started;
  });

  test('a hook runs its body (bounded, not dropped)', () => {
    expect(hookElapsed).toBeGreaterThanOrEqual(45);
  });

  test('jest.setTimeout exists, as the test files call it, and returns jest', () => {
    expect(jest.setTimeout(4_000)).toBe(jest);
  });

  test.each([[1, 2]])('each passes its row (%i, %i) to the body', (a, b) => {
    expect(a + 1).toBe(b);
  });
});
