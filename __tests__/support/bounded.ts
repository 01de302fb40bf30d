/** A test's or hook's body that fails once it has not settled in time (used by timeouts.ts). */
export type Body = (...args: any[]) => unknown;

/** `body`, failing when it has not settled `ms` after it started. */
export function bounded(body: Body, ms: number, what: string): Body {
  return function (this: unknown, ...args: unknown[]) {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Exceeded timeout of ${ms} ms for ${what}; give it a timeout argument or raise the file's jest.setTimeout`)), ms);
    });
    return Promise.race([Promise.resolve().then(() => body.apply(this, args)), expired]).finally(() => clearTimeout(timer));
  };
}
