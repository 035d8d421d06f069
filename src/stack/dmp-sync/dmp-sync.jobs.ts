import type { PeriodicJob } from '../../jobs/periodic.js';
import { runDmpSync } from './dmp-sync.service.js';

/** Keeps the DMP's seed and suppression lists in step with their CDP audiences. */
export const dmpSyncJobs: PeriodicJob[] = [
  {
    name: 'dmp-sync',
    everyMs: 15_000,
    async run(deps) {
      const report = await runDmpSync(deps);
      if (report.reconciled > 0) deps.log.info(report, 'dmp sync done');
    },
  },
];
