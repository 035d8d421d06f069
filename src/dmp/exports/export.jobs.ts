import type { PeriodicJob } from '../../jobs/periodic.js';
import { pushDue } from './push.service.js';

/**
 * Pushes every push destination whose backoff has passed. Safe from several workers at once: a
 * destination is leased by the worker pushing it. The worker knows no DMP configuration, so the
 * minimum segment size applied is the one recorded on each destination (never below the
 * configured minimum when it was saved).
 */
export const dmpExportJobs: PeriodicJob[] = [
  {
    name: 'dmp-export-push',
    everyMs: 60_000,
    async run(deps) {
      const results = await pushDue(deps);
      const failed = results.filter((r) => r.status === 'failed').map((r) => r.destinationId);
      const requests = results.reduce((n, r) => n + r.requests, 0);
      if (requests > 0 || failed.length > 0)
        deps.log.info({ destinations: results.length, requests, failed }, 'dmp push done');
    },
  },
];
