/**
 * Runs at most `concurrency` jobs at once (each job is an rlgf process using one core), so an
 * experiment can use every core of the machine: `EXPERIMENT_JOBS=2`. Jobs keep their order of
 * submission; results come back in that order.
 */
export function jobLimit(concurrency = Number(process.env.EXPERIMENT_JOBS ?? 1)): <T>(job: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`EXPERIMENT_JOBS must be a whole number ≥ 1, got ${concurrency}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    // A finishing job hands its slot straight to the next waiting one, so no newcomer can slip in.
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
