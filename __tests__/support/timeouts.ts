/**
 * Timeouts, as jest's own runner has them: jest-light-runner waits for a test or hook as long as it
 * takes, so a hung command would hang the run. Here every test and hook fails after its timeout
 * argument, else the file's `jest.setTimeout`, else 30 s. The process outlives the file, so the
 * file's timeout is kept per test file (the path jest-light-runner gives `expect` before loading
 * the file), not in one variable the next file would inherit.
 */
import { type Body, bounded } from './bounded';

const DEFAULT_TIMEOUT_MS = 30_000;
const fileTimeouts = new Map<string, number>();

function currentFile(): string {
  return expect.getState().testPath ?? '';
}

function timeoutOf(given: number | undefined): number {
  return given ?? fileTimeouts.get(currentFile()) ?? DEFAULT_TIMEOUT_MS;
}

type Register = (name: any, body?: Body, timeout?: number) => unknown;

/** `register` (test, it) with its body bounded, and its `each` too; only, skip and todo as they are. */
function withTimeouts<R extends Register>(register: R): R {
  const timed = ((name, body, timeout) => register(name, body && bounded(body, timeoutOf(timeout), 'a test'), timeout)) as R;
  const each = (register as any).each as (...table: unknown[]) => Register;
  return Object.assign(timed, register, {
    each: (...table: unknown[]) => (name: string, body: Body, timeout?: number) => each(...table)(name, bounded(body, timeoutOf(timeout), 'a test'), timeout),
  });
}

type Hook = (body: Body, timeout?: number) => unknown;

function hookWithTimeout(hook: Hook, name: string): Hook {
  return (body, timeout) => hook(bounded(body, timeoutOf(timeout), `a ${name} hook`), timeout);
}

const globals = globalThis as any;
globals.test = withTimeouts(globals.test);
globals.it = withTimeouts(globals.it);
for (const hook of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']) globals[hook] = hookWithTimeout(globals[hook], hook);
globals.jest.setTimeout = (ms: number) => {
  fileTimeouts.set(currentFile(), ms);
  return globals.jest;
};
