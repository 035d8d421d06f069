import type { Deps } from '../kernel/deps.js';
import type { Logger } from '../kernel/logger.js';

/**
 * Work that runs on a timer in the worker role: retention sweeps, SLA clocks, scheduled
 * retraining, snapshots. `run` must be safe to call again after a crash or from a second
 * worker process (idempotent, or guarded by its own bookkeeping in the store).
 */
export interface PeriodicJob {
  name: string;
  everyMs: number;
  run(deps: Deps): Promise<void>;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

/** Runs each job every `everyMs` (never two runs of the same job at once) until stopped. */
export function startJobs(jobs: PeriodicJob[], deps: Deps, log: Logger): RunningJobs {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const schedule = (job: PeriodicJob) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = job
        .run(deps)
        .catch((error) => log.error({ err: error, job: job.name }, 'periodic job failed'))
        .finally(() => {
          running.delete(run);
          schedule(job);
        });
      running.add(run);
    }, job.everyMs);
    timer.unref();
    timers.add(timer);
  };
  for (const job of jobs) schedule(job);
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(running);
    },
  };
}
