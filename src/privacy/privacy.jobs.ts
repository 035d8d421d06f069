import type { PeriodicJob } from '../jobs/periodic.js';
import { iso } from '../kernel/clock.js';
import { dueRequestIds } from './requests/request.repository.js';
import { processPrivacyRequest } from './requests/request.service.js';
import { loadSuppressions, purgeSuppressedRejections } from './requests/suppression.js';
import { enforceRetention } from './retention/retention.service.js';

/**
 * Privacy work on a timer: retrying data subject requests (a request is processed at once when
 * filed; this catches a crash or a failed store within the minute), and the raw-event
 * retention sweep.
 */
export const privacyJobs: PeriodicJob[] = [
  {
    name: 'privacy-requests',
    everyMs: 15_000,
    async run(deps) {
      for (const id of await dueRequestIds(deps.db, deps.clock.now())) {
        await processPrivacyRequest(deps, id).catch((error: unknown) =>
          deps.log.error({ err: error, privacyRequest: id }, 'privacy request failed'),
        );
      }
    },
  },
  {
    name: 'privacy-retention',
    everyMs: 3_600_000,
    async run(deps) {
      const run = await enforceRetention(deps);
      if (run.removed > 0 || run.error) deps.log.info(run, 'privacy retention done');
    },
  },
];

/**
 * Keeps the suppression list of a process that collects events current with requests filed in
 * other processes, and deletes the raw copies of dropped events left by older versions. Every
 * process serving HTTP runs it (`api` and `all` roles, each HTTP worker).
 */
export const suppressionRefreshJob: PeriodicJob = {
  name: 'privacy-suppressions',
  everyMs: 10_000,
  async run(deps) {
    await loadSuppressions(deps.db, iso(deps.clock.now()));
    await purgeSuppressedRejections(deps.db);
  },
};
