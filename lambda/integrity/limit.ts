/** Bounded parallelism: at most `concurrency` tasks run at once, the others wait in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running < concurrency) running++;
    // a finished task hands its slot straight to the next waiting one
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
