import { availableParallelism } from 'node:os';
import { wholeNumberEnv } from './env-settings';

/**
 * Runs at most `concurrency` jobs at once (each job is an rlgf process using one core), so an
 * experiment can use every core of the machine: `EXPERIMENT_JOBS=2`. Jobs keep their order of
 * submission; results come back in that order.
 */
export function jobLimit(concurrency = wholeNumberEnv('EXPERIMENT_JOBS', 1)): <T>(job: () => Promise<T>) => Promise<T> {
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

/**
 * Kernel threads for each rlgf process: the cores split among the jobs that run at once. Two jobs
 * on two cores get one thread each; with the default (a thread per core) each process's split
 * products wait on a worker thread that the other process keeps off its core.
 */
export function threadsPerJob(jobs = wholeNumberEnv('EXPERIMENT_JOBS', 1), cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / jobs));
}
